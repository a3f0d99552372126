"""The default experience-theme codebook, as data.

Ten experience themes (domain.md section 5), each with signal keywords in
English (``en``), Vietnamese (``vi``) and Chinese (``zh``). Conventions the
matcher in :mod:`cxdash.themes` relies on:

* a trailing ``*`` makes a keyword a word stem: ``wait*`` matches wait, waits,
  waited, waiting (Latin scripts only);
* a space or hyphen inside a keyword matches any run of spaces or hyphens, so
  ``self-service`` also matches ``self service``;
* Vietnamese keywords are stored with diacritics. A comment typed without
  diacritics is matched with the keyword's stripped form (``chờ lâu`` matches
  ``cho lau``), so the list avoids short phrases whose stripped form means
  something else (``lịch sự`` polite vs ``lịch sử`` history; ``xếp hàng``
  queue vs ``xếp hạng`` ranking): such phrases appear only inside longer ones;
* Chinese keywords are stored in Simplified characters; Traditional text is
  folded to Simplified before matching (:data:`TRADITIONAL_TO_SIMPLIFIED`),
  so ``態度很差`` matches ``态度很差``. Chinese is matched as a substring.
"""

from __future__ import annotations

from cxdash.domain import THEMES

THEME_DESCRIPTIONS: dict[str, str] = {
    "trust": "fair dealing, dependable, privacy respected",
    "convenience": "simple process, time and place convenience, proactive follow-up",
    "promise": "keep your word; advertising matches delivery; commitments kept",
    "respect": "fair, courteous treatment; personal needs; complaints handled",
    "autonomy": "customer in control; self-service",
    "choice": "variety of products, bundles and channels, but not overwhelming",
    "knowledge": "useful information and advice beyond the manual",
    "recognition": "being recognised and addressed personally on every channel",
    "benefit": "improves the customer's life; anticipates needs",
    "identity": "status, belonging, loyalty rewarded, VIP treatment",
}

LANGUAGES: tuple[str, ...] = ("en", "vi", "zh")

# Keywords per theme and language, separated by "; " (kept as text so the list reads
# like the codebook table a user edits).
_DEFAULT_TEXT: dict[str, dict[str, str]] = {
    "trust": {
        "en": "cheat*; scam*; rip-off; hidden fee*; hidden charge*; overcharg*; charged twice; "
        "fraud*; data misuse; privacy; personal data; reliable; unreliable; trust; trusted; "
        "transparent",
        "vi": "lừa đảo; bị lừa; phí ẩn; chi phí ẩn; phụ phí; trừ tiền hai lần; lộ thông tin; "
        "thông tin cá nhân; đáng tin cậy; uy tín; minh bạch; tin tưởng",
        "zh": "欺骗; 被骗; 隐藏费用; 透明; 扣了两次; 泄露; 个人信息; 隐私; 可靠; 靠谱; 诚信; 信任",
    },
    "convenience": {
        "en": "wait; waited; waiting; queue*; slow*; easy; fast; quick*; delay*; "
        "opening hours; took forever; on hold; hassle*; convenient; inconvenient; "
        "simple",
        "vi": "chờ lâu; đợi lâu; chờ đợi; xếp hàng; chậm trễ; nhanh chóng; "
        "thuận tiện; rất tiện lợi; dễ dàng; giờ mở cửa; mất thời gian; thủ tục rườm rà",
        "zh": "等待; 等了很久; 排队; 太慢; 方便; 简单; 营业时间; 繁琐; 麻烦; 延误",
    },
    "promise": {
        "en": "promis*; advertised; false advertising; misleading; guarantee*; warranty; "
        "delivered late; arrived late; never arrived; not delivered; on time; commitment*",
        "vi": "hứa hẹn; đã hứa; lời hứa; hứa hoàn tiền; thất hứa; quảng cáo; cam kết; bảo hành; "
        "giao hàng trễ; giao trễ; trễ hẹn; đúng hẹn; đúng giờ",
        "zh": "承诺; 答应; 说到做到; 广告; 宣传不符; 名不副实; 虚假宣传; 保证; 保修; 发货慢; "
        "送货晚; 迟迟不到; 迟到; 准时; 言而无信",
    },
    "respect": {
        "en": "rude*; ignored; polite*; impolite; courteous; respect*; disrespect*; "
        "complaint handled; handled my complaint; complaint*; condescending; arrogant; "
        "discriminat*; friendly; unfriendly; attitude; apolog*",
        "vi": "thái độ; thô lỗ; bất lịch sự; rất lịch sự; phớt lờ; khiếu nại; tôn trọng; "
        "coi thường; cáu gắt; niềm nở; nhiệt tình",
        "zh": "粗鲁; 无礼; 态度差; 态度很差; 没人理; 不理人; 忽视; 礼貌; 尊重; 投诉; 歧视; 热情",
    },
    "autonomy": {
        "en": "self-service; self-check*; choose myself; do it myself; by myself; on my own; "
        "cancel* online; change* online; online check-in; manage my booking; kiosk*; "
        "in control; had to call; could not cancel; couldn't cancel; customi*",
        "vi": "tự phục vụ; tự mình chọn; tự chọn; tự làm; tự xử lý; tự chủ; tự thay đổi; "
        "tự check-in; hủy trực tuyến; hủy online; đổi online; không cần gọi",
        "zh": "自助服务; 自助功能; 自助机; 自助值机; 自己选择; 自己选; 自主; 网上取消; 在线取消; "
        "线上取消; 网上办理",
    },
    "choice": {
        "en": "option*; only one way; only one option; no choice; no other choice; choice*; "
        "too many choices; variety; selection; range of; alternative*; overwhelming; "
        "payment methods; limited menu",
        "vi": "lựa chọn; ít lựa chọn; nhiều lựa chọn; không có lựa chọn; chỉ có một cách; "
        "đa dạng; tùy chọn; phương án; gói cước",
        "zh": "选择; 选项; 只有一种; 选择太多; 太多选择; 没有选择; 种类; 多样; 套餐",
    },
    "knowledge": {
        "en": "explain*; manual unclear; unclear; manual; instructions; advice; advis*; tips; "
        "informative; information; knowledgeable; confusing; clarif*; guidance; faq",
        "vi": "giải thích; hướng dẫn; hướng dẫn không rõ; tư vấn; lời khuyên; "
        "thông tin rõ ràng; không rõ ràng; khó hiểu; am hiểu; mẹo hay",
        "zh": "解释; 说明书; 说明不清; 不清楚; 建议; 小贴士; 技巧; 指导; 专业知识; 介绍; 资讯",
    },
    "recognition": {
        "en": "remembered me; remember me; recognised me; recognized me; by name; "
        "called me by name; asked again; asked me again; repeat my details; repeat myself; "
        "same questions; explain again; personal touch; personalis*; personaliz*; knew me",
        "vi": "nhận ra tôi; không ai nhớ tôi; họ nhớ tôi; nhớ tên tôi; gọi tên; gọi đúng tên; "
        "hỏi đi hỏi lại; nhắc lại thông tin; khai báo lại; cung cấp lại thông tin; "
        "lặp lại thông tin; khách quen; cá nhân hóa",
        "zh": "记得我; 认出我; 叫出我的名字; 又问; 再问一遍; 重复; 重复填写; 重复提供; 老顾客; "
        "个性化",
    },
    "benefit": {
        "en": "helpful; unhelpful; useful; useless; life easier; made my life; saves time; "
        "saved me time; worth it; worth the money; value for money; innovative; "
        "anticipat*; practical; beneficial; solved my problem",
        "vi": "hữu ích; có ích; giúp ích; tiện ích; cuộc sống dễ dàng hơn; dễ dàng hơn; "
        "tiết kiệm thời gian; đáng đồng tiền; sáng tạo; vô dụng",
        "zh": "有帮助; 有用; 没用; 没什么用; 实用; 生活更方便; 生活更轻松; 省时; 节省时间; 创新; 贴心; 物有所值",
    },
    "identity": {
        "en": "loyalty; loyalty points; member benefits; membership; vip; frequent flyer; "
        "frequent flier; gold member; platinum; elite; lounge; reward*; reward points; "
        "loyal customer; priority boarding; upgrade*; exclusive; valued customer",
        "vi": "điểm thưởng; điểm tích lũy; tích điểm; ưu đãi thành viên; thành viên; "
        "khách hàng thân thiết; hội viên; thẻ thành viên; hạng thẻ; đặc quyền; "
        "phòng chờ thương gia",
        "zh": "积分; 会员; 会员福利; 归属感; 贵宾; 常旅客; 升舱; 贵宾室; 尊享; 专属; 金卡",
    },
}

DEFAULT_CODEBOOK: dict[str, dict[str, tuple[str, ...]]] = {
    theme: {
        lang: tuple(k.strip() for k in text.split(";") if k.strip())
        for lang, text in by_lang.items()
    }
    for theme, by_lang in _DEFAULT_TEXT.items()
}
"""theme -> language -> keywords (the parsed form of ``_DEFAULT_TEXT``)."""

# Traditional -> Simplified, for every character of the default Chinese keywords that
# differs (and a few common neighbours). Applied to comments and keywords alike.
_TRADITIONAL = (
    "騙隱費亂洩個資訊賴誠譜隊長簡單營業時間繁瑣煩誤延遲諾應與傳實貨對虛證發準無魯禮態惡"
    "沒視貌訴處歧熱氣務選擇網線辦機項種類樣釋說書議貼導專識紹記認問遍寫顧幫節創積會員貴賓"
    "艙屬複復這們還話電單麼來後過頭問題錢價級質兩廣輕鬆歸"
)
_SIMPLIFIED = (
    "骗隐费乱泄个资讯赖诚谱队长简单营业时间繁琐烦误延迟诺应与传实货对虚证发准无鲁礼态恶"
    "没视貌诉处歧热气务选择网线办机项种类样释说书议贴导专识绍记认问遍写顾帮节创积会员贵宾"
    "舱属复复这们还话电单么来后过头问题钱价级质两广轻松归"
)
TRADITIONAL_TO_SIMPLIFIED: dict[str, str] = {
    t: s for t, s in zip(_TRADITIONAL, _SIMPLIFIED, strict=True) if t != s
}


def default_keywords() -> list[tuple[str, str, str]]:
    """The default codebook as ``(theme, keyword, language)`` rows, in theme order."""
    return [
        (theme, keyword, language)
        for theme in THEMES
        for language, keywords in DEFAULT_CODEBOOK[theme].items()
        for keyword in keywords
    ]
