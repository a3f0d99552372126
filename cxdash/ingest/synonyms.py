"""Synonym tables for column headers (English, Vietnamese, Chinese) and label normalisation.

The tables are plain data: ``{canonical field: {synonym: weight}}``. Synonyms are written
the way people type them (with Vietnamese diacritics, in Simplified or Traditional Chinese);
they are normalised once at import with :func:`match_key`, the same function applied to
the column labels, so "Mức độ hài lòng", "muc do hai long" and "MUC-DO  HAI_LONG" all
meet, and so do "滿意度" and "满意度".

Two kinds of table:

* ``*_LABELS``: the whole label must equal the synonym ("Rating", "Date", "ID").
  Short, generic words live only here, so "SeatComfortRating" is not taken for "rating".
* ``*_PHRASES``: the synonym may appear inside a longer label, on word boundaries
  (for Chinese, on character boundaries): "How likely are you to recommend Acme to a
  friend?" contains "likely are you to recommend".

The weight (0..1) says how sure a match is; when several columns match the same field the
heaviest wins and the others are kept as ``extra`` with a warning.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

SynonymTable = dict[str, dict[str, float]]

# --- Feedback fields --------------------------------------------------------------------

FEEDBACK_LABELS: SynonymTable = {
    "response_id": {
        "response id": 1.0,
        "responseid": 1.0,
        "response": 0.5,
        "id": 0.9,
        "record id": 1.0,
        "review id": 1.0,
        "ticket": 0.9,
        "ticket #": 1.0,
        "ticket id": 1.0,
        "ticket number": 1.0,
        "complaint id": 1.0,
        "case id": 1.0,
        "case number": 1.0,
        "unique id": 1.0,
        "uuid": 0.9,
        "tweet id": 1.0,
        "survey id": 0.8,
        "submission id": 1.0,
        "feedback id": 1.0,
        "comment id": 1.0,
        "respondent": 0.6,
        "mã phản hồi": 1.0,
        "mã phiếu": 1.0,
        "số phiếu": 0.9,
        "mã khiếu nại": 1.0,
        "回答编号": 1.0,
        "回复编号": 1.0,
        "答卷编号": 1.0,
        "问卷编号": 0.9,
        "编号": 0.8,
        "工单号": 1.0,
        "投诉编号": 1.0,
        "评论编号": 1.0,
        "序号": 0.6,
    },
    "respondent_id": {
        "customer id": 1.0,
        "customer number": 1.0,
        "client id": 1.0,
        "respondent id": 1.0,
        "user id": 1.0,
        "member id": 1.0,
        "account id": 0.9,
        "account number": 0.9,
        "external reference": 0.7,
        "external data reference": 0.7,
        "mã khách hàng": 1.0,
        "mã kh": 0.9,
        "客户编号": 1.0,
        "客户id": 1.0,
        "客户号": 1.0,
        "会员编号": 1.0,
        "用户id": 1.0,
    },
    "timestamp": {
        "date": 1.0,
        "datetime": 1.0,
        "date time": 1.0,
        "timestamp": 1.0,
        "survey date": 1.0,
        "response date": 1.0,
        "recorded date": 1.0,
        "recordeddate": 1.0,
        "end date": 0.7,
        "start date": 0.6,
        "submitted at": 1.0,
        "submission date": 1.0,
        "created at": 0.9,
        "created": 0.8,
        "date received": 1.0,
        "review date": 1.0,
        "date pub": 1.0,
        "datepub": 1.0,
        "date published": 1.0,
        "tweet created": 1.0,
        "feedback date": 1.0,
        "ngày": 1.0,
        "ngày khảo sát": 1.0,
        "ngày phản hồi": 1.0,
        "ngày gửi": 1.0,
        "thời gian": 0.8,
        "日期": 1.0,
        "时间": 0.8,
        "提交时间": 1.0,
        "填写时间": 1.0,
        "调查日期": 1.0,
        "回答时间": 1.0,
    },
    "stage": {
        "stage": 1.0,
        "journey stage": 1.0,
        "phase": 0.8,
        "journey phase": 1.0,
        "journey step": 0.9,
        "journey": 0.8,
        "giai đoạn": 1.0,
        "giai đoạn hành trình": 1.0,
        "旅程阶段": 1.0,
        "阶段": 1.0,
    },
    "touchpoint": {
        "touchpoint": 1.0,
        "touch point": 1.0,
        "trigger point": 1.0,
        "interaction point": 1.0,
        "điểm chạm": 1.0,
        "điểm tiếp xúc": 1.0,
        "接触点": 1.0,
        "触点": 1.0,
    },
    "channel": {
        "channel": 1.0,
        "received via": 1.0,
        "submitted via": 1.0,
        "contact channel": 1.0,
        "distribution channel": 0.8,
        "kênh": 1.0,
        "kênh liên hệ": 1.0,
        "渠道": 1.0,
        "通路": 1.0,
        "途径": 0.8,
    },
    "nps": {
        "nps": 1.0,
        "net promoter score": 1.0,
        "net promoter": 1.0,
        "tnps": 1.0,
        "t nps": 1.0,
        "likelihood to recommend": 1.0,
        "ltr": 0.8,
        "recommend score": 1.0,
        "nps score": 1.0,
        "推荐": 0.9,
        "推荐度": 1.0,
        "净推荐值": 1.0,
    },
    "csat": {
        "csat": 1.0,
        "customer satisfaction": 1.0,
        "satisfaction score": 1.0,
        "csat score": 1.0,
        "mức độ hài lòng": 1.0,
        "hài lòng": 1.0,
        "满意度": 1.0,
        "客户满意度": 1.0,
        "满意": 0.9,
    },
    "ces": {
        "ces": 1.0,
        "customer effort": 1.0,
        "customer effort score": 1.0,
        "effort": 1.0,
        "effort score": 1.0,
        "ease": 0.6,
        "mức độ dễ dàng": 1.0,
        "dễ dàng": 1.0,
        "费力度": 1.0,
        "费力": 1.0,
        "省力": 0.9,
    },
    "rating": {
        "rating": 1.0,
        "score": 0.9,
        "stars": 1.0,
        "star": 1.0,
        "star rating": 1.0,
        "điểm": 0.9,
        "điểm đánh giá": 1.0,
        "số sao": 1.0,
        "评分": 1.0,
        "分数": 0.9,
        "星级": 1.0,
        "打分": 1.0,
    },
    "overall": {
        "overall": 1.0,
        "overall satisfaction": 1.0,
        "overall rating": 1.0,
        "overallrating": 1.0,
        "overall score": 1.0,
        "overall experience": 0.9,
        "satisfaction": 0.95,
        "satisfied": 0.7,
        "sentiment": 0.7,
        "airline sentiment": 0.9,
        "recommended": 0.4,
        "recommended ind": 0.4,
        "would recommend": 0.4,
        "liked": 0.5,
        "hài lòng chung": 1.0,
        "đánh giá chung": 1.0,
        "tổng thể": 0.9,
        "总体满意度": 1.0,
        "整体满意度": 1.0,
        "总体评价": 1.0,
        "总评分": 1.0,
        "综合评分": 1.0,
    },
    "comment": {
        "comment": 1.0,
        "comments": 1.0,
        "open text": 1.0,
        "review": 1.0,
        "review body": 1.0,
        "reviewbody": 1.0,
        "review text": 1.0,
        "text": 0.9,
        "verbatim": 1.0,
        "feedback": 0.8,
        "feedback text": 1.0,
        "free text": 0.9,
        "remarks": 0.9,
        "customer complaint": 1.0,
        "complaint": 0.9,
        "consumer complaint narrative": 1.0,
        "narrative": 0.9,
        "message": 0.7,
        "content": 0.6,
        "body": 0.6,
        "description": 0.5,
        "bình luận": 1.0,
        "ý kiến": 1.0,
        "góp ý": 1.0,
        "nhận xét": 1.0,
        "phản hồi": 0.8,
        "nội dung": 0.7,
        "评论": 1.0,
        "意见": 1.0,
        "留言": 1.0,
        "反馈": 0.8,
        "评价内容": 1.0,
        "建议": 0.8,
        "备注": 0.7,
    },
    "language": {
        "language": 1.0,
        "user language": 1.0,
        "userlanguage": 1.0,
        "lang": 0.9,
        "locale": 0.7,
        "ngôn ngữ": 1.0,
        "语言": 1.0,
    },
    "theme": {
        "theme": 1.0,
        "themes": 1.0,
        "experience theme": 1.0,
        "chủ đề": 1.0,
        "主题": 1.0,
    },
}

FEEDBACK_PHRASES: SynonymTable = {
    "response_id": {"response id": 0.8, "complaint id": 0.8, "review id": 0.8, "id": 0.45},
    "respondent_id": {"customer id": 0.8, "mã khách hàng": 0.8, "客户编号": 0.8},
    "timestamp": {"date": 0.6, "ngày": 0.45, "日期": 0.6},
    "stage": {"journey stage": 0.8, "giai đoạn": 0.7, "旅程阶段": 0.8},
    "touchpoint": {"touchpoint": 0.7, "touch point": 0.7, "điểm chạm": 0.7, "接触点": 0.7},
    "channel": {"channel": 0.6, "kênh": 0.5, "渠道": 0.6},
    "nps": {
        "likely are you to recommend": 0.9,
        "likely is it that you would recommend": 0.9,
        "likely would you be to recommend": 0.9,
        "likely to recommend": 0.85,
        "likelihood to recommend": 0.85,
        "recommend": 0.6,
        "net promoter": 0.85,
        "nps": 0.8,
        "giới thiệu": 0.7,
        "sẵn sàng giới thiệu": 0.85,
        "推荐": 0.7,
        "推荐给": 0.85,
        "推荐我们": 0.85,
        "向朋友推荐": 0.9,
    },
    "csat": {
        "how satisfied": 0.8,
        "csat": 0.8,
        "customer satisfaction": 0.75,
        "mức độ hài lòng": 0.8,
        "hài lòng": 0.6,
        "满意度": 0.8,
        "满意": 0.6,
    },
    "ces": {
        "ces": 0.8,  # "CES (1-7)", "CES score"
        "customer effort": 0.8,
        "effort": 0.75,
        "easy to": 0.7,
        "how easy": 0.7,
        "made it easy": 0.85,
        "dễ dàng": 0.7,
        "费力": 0.75,
        "容易": 0.6,
    },
    "overall": {
        "overall satisfaction": 0.8,
        "overall rating": 0.8,
        "overall experience": 0.7,
        "tổng thể": 0.6,
        "总体": 0.6,
        "整体": 0.6,
    },
    "comment": {
        "open text": 0.7,
        "comment": 0.7,
        "comments": 0.7,
        "narrative": 0.6,
        "please explain": 0.6,
        "please tell us": 0.6,
        "why did you": 0.6,
        "bình luận": 0.7,
        "ý kiến": 0.7,
        "góp ý": 0.7,
        "评论": 0.7,
        "意见": 0.7,
        "建议": 0.6,
    },
    "language": {"language": 0.6, "ngôn ngữ": 0.6, "语言": 0.6},
}

# Dimensions worth filtering by, even when they have many values (states, issues).
SEGMENT_LABELS: dict[str, float] = {
    name: 1.0
    for name in (
        "segment",
        "customer segment",
        "customer type",
        "type of customer",
        "class",
        "cabin",
        "cabin type",
        "seat type",
        "travel type",
        "type of travel",
        "type of traveller",
        "type of traveler",
        "region",
        "market",
        "country",
        "origin country",
        "state",
        "province",
        "city",
        "gender",
        "sex",
        "age group",
        "department",
        "department name",
        "division",
        "division name",
        "class name",
        "product",
        "product line",
        "sub product",
        "category",
        "issue",
        "sub issue",
        "status",
        "airline",
        "airline name",
        "company",
        "brand",
        "store",
        "branch",
        "plan",
        "tier",
        "loyalty tier",
        "membership",
        "reason",
        "negativereason",
        "negative reason",
        "phân khúc",
        "loại khách hàng",
        "khu vực",
        "vùng",
        "tỉnh",
        "thành phố",
        "giới tính",
        "nhóm tuổi",
        "phòng ban",
        "sản phẩm",
        "chi nhánh",
        "cửa hàng",
        "细分",
        "客户类型",
        "客户类别",
        "地区",
        "区域",
        "省份",
        "城市",
        "性别",
        "年龄段",
        "部门",
        "产品",
        "门店",
        "分行",
        "会员等级",
    )
}

# Columns kept but never read as scores or dimensions: personal data and free measures.
EXTRA_LABELS: dict[str, float] = {
    name: 1.0
    for name in (
        "name",
        "full name",
        "first name",
        "last name",
        "customer name",
        "respondent name",
        "recipient first name",
        "recipient last name",
        "email",
        "email address",
        "recipient email",
        "e mail",
        "phone",
        "phone number",
        "mobile",
        "address",
        "ip address",
        "ipaddress",
        "age",
        "zip",
        "zip code",
        "postcode",
        "postal code",
        "latitude",
        "longitude",
        "location latitude",
        "location longitude",
        "location accuracy",
        "progress",
        "duration",
        "duration in seconds",
        "month",
        "quarter",
        "year",
        "week",
        "weekday",
        "time",
        "title",
        "review header",
        "route",
        "aircraft",
        "slug",
        "url",
        "link",
        "họ tên",
        "tên",
        "tên khách hàng",
        "số điện thoại",
        "điện thoại",
        "địa chỉ",
        "tuổi",
        "姓名",
        "名字",
        "客户名称",
        "电话",
        "手机",
        "手机号",
        "邮箱",
        "地址",
        "年龄",
    )
}
EXTRA_PHRASES: dict[str, float] = {
    name: 0.8
    for name in (
        "email",
        "e mail",
        "phone",
        "ip address",
        "latitude",
        "longitude",
        "zip code",
        "postcode",
        "distance",
        "delay",
        "delay in minutes",
        "count",
        "duration",
        "in seconds",
        "in minutes",
        "confidence",
        "số điện thoại",
        "电话",
        "邮箱",
    )
}

# --- Touchpoint map and brand promise -----------------------------------------------------

TOUCHPOINT_LABELS: SynonymTable = {
    "stage": FEEDBACK_LABELS["stage"],
    "stage_order": {
        "stage order": 1.0,
        "order": 0.8,
        "step": 0.7,
        "step number": 1.0,
        "sequence": 0.9,
        "stage number": 1.0,
        "thứ tự": 1.0,
        "thứ tự giai đoạn": 1.0,
        "顺序": 1.0,
        "阶段顺序": 1.0,
        "序号": 0.7,
    },
    "touchpoint": {**FEEDBACK_LABELS["touchpoint"], "touchpoint name": 1.0},
    "channel": FEEDBACK_LABELS["channel"],
    "provider": {
        "experience provider": 1.0,
        "provider": 0.9,
        "expro": 0.9,
        "nhà cung cấp trải nghiệm": 1.0,
        "kênh trải nghiệm": 0.9,
        "体验提供者": 1.0,
        "体验媒介": 1.0,
    },
    "owner": {
        "owner": 1.0,
        "responsible": 1.0,
        "accountable": 0.9,
        "department owner": 1.0,
        "owned by": 1.0,
        "responsible team": 1.0,
        "phụ trách": 1.0,
        "người phụ trách": 1.0,
        "bộ phận phụ trách": 1.0,
        "chịu trách nhiệm": 1.0,
        "负责人": 1.0,
        "负责部门": 1.0,
        "责任人": 1.0,
    },
    "importance": {
        "importance": 1.0,
        "weight": 1.0,
        "stated importance": 1.0,
        "priority": 0.7,
        "mức độ quan trọng": 1.0,
        "tầm quan trọng": 1.0,
        "trọng số": 1.0,
        "重要性": 1.0,
        "权重": 1.0,
        "重要程度": 1.0,
    },
    "pillar": {
        "pillar": 1.0,
        "promise pillar": 1.0,
        "reason to believe": 1.0,
        "reasons to believe": 1.0,
        "rtb": 1.0,
        "trụ cột": 1.0,
        "lý do để tin": 1.0,
        "lý do tin tưởng": 1.0,
        "支柱": 1.0,
        "品牌支柱": 1.0,
        "信任理由": 1.0,
        "相信的理由": 1.0,
    },
    "target": {
        "target": 1.0,
        "promise target": 1.0,
        "goal": 0.9,
        "target score": 1.0,
        "mục tiêu": 1.0,
        "chỉ tiêu": 1.0,
        "目标": 1.0,
        "目标值": 1.0,
    },
    "target_metric": {
        "target metric": 1.0,
        "metric": 0.9,
        "kpi": 0.9,
        "measure": 0.8,
        "chỉ số": 0.9,
        "chỉ số mục tiêu": 1.0,
        "指标": 1.0,
        "目标指标": 1.0,
    },
    "description": {
        "description": 1.0,
        "notes": 0.8,
        "note": 0.8,
        "details": 0.8,
        "mô tả": 1.0,
        "ghi chú": 0.8,
        "描述": 1.0,
        "说明": 1.0,
        "备注": 0.8,
    },
}
TOUCHPOINT_PHRASES: SynonymTable = {
    "touchpoint": {"touchpoint": 0.7, "touch point": 0.7, "điểm chạm": 0.7, "接触点": 0.7},
    "owner": {"owner": 0.7, "phụ trách": 0.7, "负责": 0.7},
    "importance": {"importance": 0.7, "quan trọng": 0.7, "重要": 0.6},
    "target": {"target": 0.7, "mục tiêu": 0.7, "目标": 0.7},
    "pillar": {"reason to believe": 0.8, "pillar": 0.7},
    "stage_order": {"stage order": 0.8},
}

PROMISE_LABELS: SynonymTable = {
    "statement": {
        "brand promise": 1.0,
        "promise": 1.0,
        "statement": 0.9,
        "promise statement": 1.0,
        "brand promise statement": 1.0,
        "our promise": 1.0,
        "lời hứa thương hiệu": 1.0,
        "lời hứa": 1.0,
        "cam kết thương hiệu": 1.0,
        "品牌承诺": 1.0,
        "承诺": 1.0,
    },
    "pillar": TOUCHPOINT_LABELS["pillar"],
    "description": TOUCHPOINT_LABELS["description"],
}
PROMISE_PHRASES: SynonymTable = {
    "statement": {"brand promise": 0.8, "lời hứa": 0.7, "品牌承诺": 0.8},
    "pillar": {"reason to believe": 0.8, "reasons to believe": 0.8, "pillar": 0.7},
}

# Cells that mark a pivot table or an analysis output rather than raw data.
ANALYSIS_MARKERS: tuple[str, ...] = (
    "row labels",
    "column labels",
    "grand total",
    "sum of",
    "average of",
    "count of",
    "max of",
    "min of",
    "summary output",
    "regression statistics",
    "r square",
    "anova",
    "coefficients",
    "standard error",
    "tổng cộng",
    "nhãn hàng",
    "总计",
    "行标签",
    "列标签",
    "求和项",
    "计数项",
    "平均值项",
)

# Traditional -> Simplified for the characters that occur in the synonyms and in common
# survey headers. Not a full converter (that would need OpenCC); enough for matching.
_TRADITIONAL = (
    "滿意費薦評論見負責觸點標語題號編戶時間務質體驗價議機場員類別區門帶應歷階動願說讓對線網購買"
    "單銷級數們導權為與會頁電話郵總問來從過還這個麼樣請謝準確認證據擇選項實現際開關聯係響頻碼"
    "執導覽與訊聞達傳輸檢測試顧客戶簽統計參與積紀錄齡態狀貨運輸"
)
_SIMPLIFIED = (
    "满意费荐评论见负责触点标语题号编户时间务质体验价议机场员类别区门带应历阶动愿说让对线网购买"
    "单销级数们导权为与会页电话邮总问来从过还这个么样请谢准确认证据择选项实现际开关联系响频码"
    "执导览与讯闻达传输检测试顾客户签统计参与积纪录龄态状货运输"
)
TRADITIONAL_TO_SIMPLIFIED: dict[int, int] = str.maketrans(_TRADITIONAL, _SIMPLIFIED)

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NON_WORD = re.compile(r"[\W_]+")
_CJK = re.compile(r"([\u3400-\u9fff\uf900-\ufaff])")


def normalise_label(text: str) -> str:
    """A header label in a form fit for comparing: casefolded, accents and punctuation gone.

    NFKC first (full-width letters become ASCII), then camelCase is split
    ("OverallRating" -> "overall rating"), Vietnamese diacritics are stripped (đ -> d),
    Traditional Chinese characters become Simplified where the table knows them, and
    any run of punctuation or spaces becomes one space.
    """
    text = unicodedata.normalize("NFKC", str(text))
    text = _CAMEL.sub(" ", text).casefold().replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    text = unicodedata.normalize("NFC", text).translate(TRADITIONAL_TO_SIMPLIFIED)
    return _NON_WORD.sub(" ", text).strip()


def match_key(text: str) -> str:
    """:func:`normalise_label` with Chinese characters spaced, so phrases match on boundaries."""
    return " ".join(_CJK.sub(r" \1 ", normalise_label(text)).split())


@dataclass(frozen=True)
class SynonymMatch:
    """The best synonym found in one label."""

    field: str
    synonym: str  # as written in the table
    weight: float
    whole_label: bool  # the whole label is the synonym (else a phrase inside it)


# Compiled tables, keyed by id() of the table; the table itself is kept in the entry so the
# id cannot be reused by another object while the entry exists.
_COMPILED: dict[int, tuple[object, list[tuple[str, list[tuple[str, str, float]]]]]] = {}
_WRAPPED: dict[int, tuple[dict[str, float], SynonymTable]] = {}


def _compiled_table(table: SynonymTable) -> list[tuple[str, list[tuple[str, str, float]]]]:
    """The table with every synonym turned into its match key (computed once per table)."""
    entry = _COMPILED.get(id(table))
    if entry is None or entry[0] is not table:
        compiled = [
            (field, [(match_key(s), s, w) for s, w in entries.items()])
            for field, entries in table.items()
        ]
        entry = (table, compiled)
        _COMPILED[id(table)] = entry
    return entry[1]


def _as_table(entries: dict[str, float]) -> SynonymTable:
    """A one-field table ``{"_": entries}``, made once per ``entries`` dict."""
    entry = _WRAPPED.get(id(entries))
    if entry is None or entry[0] is not entries:
        entry = (entries, {"_": entries})
        _WRAPPED[id(entries)] = entry
    return entry[1]


def best_synonym(label: str, labels: SynonymTable, phrases: SynonymTable) -> SynonymMatch | None:
    """The heaviest synonym of ``labels`` (whole label) or ``phrases`` (inside it) in ``label``.

    Ties go to the longer synonym, the more specific one.
    """
    key = match_key(label)
    if not key:
        return None
    padded = f" {key} "
    best: tuple[float, int, SynonymMatch] | None = None
    for whole, table in ((True, labels), (False, phrases)):
        for field, entries in _compiled_table(table):
            for syn_key, syn, weight in entries:
                if not syn_key:
                    continue
                hit = key == syn_key if whole else f" {syn_key} " in padded
                if hit and (best is None or (weight, len(syn_key)) > best[:2]):
                    best = (weight, len(syn_key), SynonymMatch(field, syn, weight, whole))
    return best[2] if best else None


def single_table_match(
    label: str, labels: dict[str, float], phrases: dict[str, float] | None = None
) -> str | None:
    """The synonym of a one-field table found in ``label`` (whole label or phrase), if any."""
    match = best_synonym(label, _as_table(labels), _as_table(phrases or _NO_PHRASES))
    return match.synonym if match else None


_NO_PHRASES: dict[str, float] = {}
