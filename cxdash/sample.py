"""Seeded generator of the sample workbooks for the fictional car-sharing brand *Lumen Share*.

``python -m cxdash.sample sample_data`` (or ``make sample``) writes three workbooks:

* ``touchpoint_map.xlsx``: the brand promise with its reasons to believe, and the touchpoint
  map (journey stage, channel, experience provider, owner, importance, promise target);
* ``journey_survey.xlsx``: a *wide* relationship survey (one row per respondent, one rating
  column per touchpoint, a decoy pivot sheet and title rows above the header);
* ``transactional_feedback.xlsx``: a *long* transactional survey (one row per touchpoint
  contact with CSAT, effort and likelihood to recommend);

plus ``README.md`` describing them. The data carries planted findings the dashboard must
recover: three weak touchpoints (``PLANTED_WEAK_TOUCHPOINTS``), a worsening experience theme
(``PLANTED_WORSENING_THEME``), the strongest drivers of NPS (``PLANTED_MOMENTS_OF_TRUTH``
with their true weights in ``NPS_DRIVER_WEIGHTS``) and touchpoints with too few responses
(``SMALL_N_TOUCHPOINTS``).

Everything is drawn from one ``numpy`` generator, so the same seed gives the same cell values.
Workbooks are written with openpyxl in write-only mode and re-packed with fixed zip and
document timestamps, so regeneration is byte-identical as long as openpyxl and zlib are the
same versions.

:func:`synthetic_feedback_frame` builds canonical ``feedback`` rows (the workspace table)
with numpy only, for benchmarks of millions of rows.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import io
import math
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from cxdash.domain import THEMES

# --------------------------------------------------------------------------------------
# Generation settings
# --------------------------------------------------------------------------------------
DEFAULT_SEED = 2026
DEFAULT_RESPONSES = 20_000
WIDE_SHARE = 0.4  # share of responses that go to the wide relationship survey
PERIOD_START = date(2025, 5, 1)
PERIOD_END = date(2026, 10, 31)
WORSENING_START = date(2026, 5, 1)  # the last six months
EXPORT_DATE = date(2026, 11, 1)
FIXED_TIMESTAMP = datetime(2026, 11, 1, 8, 0, 0)  # workbook created/modified and zip entry times

MAP_FILE = "touchpoint_map.xlsx"
WIDE_FILE = "journey_survey.xlsx"
LONG_FILE = "transactional_feedback.xlsx"
SAMPLE_FILES: tuple[str, ...] = (MAP_FILE, WIDE_FILE, LONG_FILE)

# --------------------------------------------------------------------------------------
# The brand
# --------------------------------------------------------------------------------------
BRAND_NAME = "Lumen Share"
PROMISE_STATEMENT = "A clean, ready car near you in minutes, with no surprises."
PROMISE_DESCRIPTION = (
    "What every Lumen Share member should feel at every touchpoint, "
    "from the first ad to the last invoice."
)
REASONS_TO_BELIEVE: tuple[tuple[str, str], ...] = (
    ("Always nearby", "A car within a five-minute walk in every district we serve, day and night."),
    (
        "Effortless from app to road",
        "Join, book, unlock and return in a few taps; help is quick when something goes wrong.",
    ),
    (
        "Fair and transparent",
        "Simple prices, no hidden fees, and charges you can check line by line.",
    ),
)

CUSTOMER_TYPES: tuple[str, ...] = ("Commuter", "Occasional", "Business", "Student")
CUSTOMER_TYPE_SHARES: tuple[float, ...] = (0.38, 0.30, 0.17, 0.15)
REGIONS: tuple[str, ...] = ("North", "Central", "South")
REGION_SHARES: tuple[float, ...] = (0.35, 0.25, 0.40)
PLANS: tuple[str, ...] = ("Pay as you go", "Monthly", "Business account")
LANGUAGES: tuple[str, ...] = ("en", "vi", "zh")
LANGUAGE_SHARES: tuple[float, ...] = (0.60, 0.25, 0.15)

Health = Literal["weak", "at_risk", "healthy", "strong"]
TargetUnit = Literal["mean", "share", "nps"]


@dataclass(frozen=True)
class SampleTouchpoint:
    """One row of the sample touchpoint map, plus how the generator makes its feedback."""

    stage_order: int
    stage: str
    name: str
    channel: str
    provider: str
    owner: str
    importance: int | None  # stated importance 1-5 (None: left blank in the map)
    pillar: str  # the reason to believe it must prove
    target_metric: str  # "CSAT" | "CES" | "NPS"
    target: float | None  # promise target (None: blank, the workspace default applies)
    target_unit: TargetUnit  # mean on the scale, share (top-2-box / CES 5-7) or NPS points
    themes: tuple[str, str]  # experience themes its comments are about (main, secondary)
    frequency: float  # relative contact volume in the transactional survey
    health: Health  # where its performance sits against the target
    description: str


_ALWAYS, _EFFORTLESS, _FAIR = (name for name, _ in REASONS_TO_BELIEVE)

# fmt: off
_MAP_ROWS: tuple[tuple[Any, ...], ...] = (
    # order, stage, touchpoint, channel, provider, owner, importance, pillar,
    # metric, target, unit, themes, frequency, health, description
    (1, "Discover", "Social media ads", "Social media", "Communications", "Marketing", 3, _ALWAYS,
     "CSAT", 0.75, "share", ("promise", "choice"), 4, "healthy",
     "Paid posts and short videos that introduce the service."),
    (1, "Discover", "Website home page", "Website", "Websites and electronic media", "Marketing", None,
     _EFFORTLESS, "CSAT", 4.0, "mean", ("knowledge", "convenience"), 5, "healthy",
     "First visit: what Lumen Share is, where it runs and what it costs."),
    (1, "Discover", "Branded cars on the street", "Car", "Visual and verbal identity", "Marketing", 2,
     _ALWAYS, "CSAT", 0.80, "share", ("identity", "promise"), 2, "strong",
     "Livery, logo and roof signs that make the fleet visible."),
    (1, "Discover", "Partner events", "Partner events", "Co-branding", "Partnerships", 2, _ALWAYS,
     "NPS", 40, "nps", ("benefit", "identity"), 0, "healthy",
     "Test drives at festivals and employer mobility days with partners."),
    (1, "Discover", "Friend referral offer", "Email", "Communications", "Marketing", 3, _FAIR,
     "CSAT", 0.80, "share", ("promise", "trust"), 3, "at_risk",
     "Invite-a-friend credit sent by members to their friends."),
    (2, "Join", "Sign-up in the app", "App", "Websites and electronic media", "Product", 4, _EFFORTLESS,
     "CES", 0.75, "share", ("autonomy", "convenience"), 8, "healthy",
     "Creating an account and choosing a plan in the app."),
    (2, "Join", "Licence verification", "App", "Websites and electronic media", "Product", 4,
     _EFFORTLESS, "CSAT", 4.0, "mean", ("convenience", "recognition"), 5, "strong",
     "Photo check of the driving licence before the first trip."),
    (2, "Join", "Welcome email", "Email", "Communications", "Marketing", 2, _EFFORTLESS,
     "CSAT", 0.80, "share", ("recognition", "knowledge"), 3, "healthy",
     "First email with the member number and how the first trip works."),
    (2, "Join", "Pricing page", "Website", "Websites and electronic media", "Finance", 4, _FAIR,
     "CSAT", 4.1, "mean", ("trust", "choice"), 6, "healthy",
     "Plans, per-minute and per-kilometre prices, fees and deposits."),
    (2, "Join", "Membership card pickup", "Parking hub", "Spatial environments", "Fleet operations", 3,
     _ALWAYS, "CSAT", 0.80, "share", ("convenience", "respect"), 2, "strong",
     "Collecting the physical member card at a parking hub."),
    (3, "Find a car", "Car map in the app", "App", "Websites and electronic media", "Product", 4,
     _ALWAYS, "CSAT", 4.2, "mean", ("choice", "convenience"), 12, "healthy",
     "Map of available cars with walking time and fuel level."),
    (3, "Find a car", "Booking a car", "App", "Websites and electronic media", "Product", 5,
     _EFFORTLESS, "CES", 0.80, "share", ("convenience", "autonomy"), 14, "strong",
     "Reserving a car for up to 20 minutes before the trip."),
    (3, "Find a car", "Car availability nearby", "App", "Product presence", "Fleet operations", 5,
     _ALWAYS, "CSAT", 0.85, "share", ("promise", "choice"), 12, "weak",
     "Whether a car is actually free within a short walk when the member needs one."),
    (3, "Find a car", "Parking hub signage", "Parking hub", "Visual and verbal identity",
     "Fleet operations", None, _ALWAYS, "CSAT", 0.80, "share", ("knowledge", "convenience"), 4,
     "healthy", "Signs that lead members to the Lumen Share bays in a car park."),
    (3, "Find a car", "Unlocking the car", "Car", "Product presence", "Product", 5, _EFFORTLESS,
     "CES", 0.80, "share", ("convenience", "autonomy"), 12, "strong",
     "Opening the car with the app or the member card."),
    (4, "Drive", "Car cleanliness", "Car", "Product presence", "Fleet operations", 4, _EFFORTLESS,
     "CSAT", 4.3, "mean", ("promise", "respect"), 11, "healthy",
     "Clean seats, windows and boot when the trip starts."),
    (4, "Drive", "Car condition and safety", "Car", "Product presence", "Fleet operations", 5,
     _EFFORTLESS, "CSAT", 0.85, "share", ("trust", "promise"), 10, "healthy",
     "Tyres, brakes, lights and dashboard warnings in order."),
    (4, "Drive", "In-car display", "Car", "Visual and verbal identity", "Product", None, _EFFORTLESS,
     "CSAT", None, "share", ("knowledge", "benefit"), 5, "healthy",
     "Welcome screen, trip timer and parking tips on the dashboard tablet."),
    (4, "Drive", "Fuel and charging card", "Car", "Product presence", "Fleet operations", 3, _FAIR,
     "CSAT", 0.75, "share", ("knowledge", "convenience"), 4, "healthy",
     "Refuelling or charging with the card kept in the car."),
    (4, "Drive", "Roadside assistance", "Call centre", "People", "Customer service", 4, _EFFORTLESS,
     "CSAT", 4.2, "mean", ("respect", "convenience"), 2, "healthy",
     "Help by phone and on site after a breakdown or accident."),
    (5, "Return & pay", "Returning the car", "Parking hub", "Spatial environments", "Fleet operations",
     4, _EFFORTLESS, "CES", 0.75, "share", ("convenience", "autonomy"), 11, "strong",
     "Parking in a Lumen Share bay and ending the trip."),
    (5, "Return & pay", "Damage reporting", "App", "Websites and electronic media",
     "Fleet operations", 3, _FAIR, "CSAT", 0.75, "share", ("autonomy", "trust"), 3, "healthy",
     "Reporting scratches or damage with photos before and after a trip."),
    (5, "Return & pay", "Trip receipt", "Email", "Communications", "Finance", 3, _FAIR,
     "CSAT", 0.85, "share", ("trust", "knowledge"), 8, "healthy",
     "Email receipt with the route, minutes, kilometres and price."),
    (5, "Return & pay", "Payment and charges", "App", "Websites and electronic media", "Finance", 5,
     _FAIR, "CSAT", 4.2, "mean", ("trust", "respect"), 10, "weak",
     "Card payments, deposits, fees and fines charged through the app."),
    (5, "Return & pay", "Monthly invoice", "Invoice", "Communications", "Finance", 3, _FAIR,
     "CSAT", 4.0, "mean", ("trust", "knowledge"), 5, "healthy",
     "Monthly statement for subscribers and business accounts."),
    (6, "Manage account", "Account and privacy settings", "App", "Websites and electronic media",
     "Legal", 3, _FAIR, "CSAT", 0.80, "share", ("autonomy", "trust"), 3, "healthy",
     "Personal details, payment cards, consents and data requests."),
    (6, "Manage account", "Changing plan", "Website", "Websites and electronic media", "Product", 3,
     _FAIR, "CSAT", 0.80, "share", ("choice", "autonomy"), 3, "healthy",
     "Switching between pay-as-you-go, monthly and business plans."),
    (6, "Manage account", "Loyalty rewards", "App", "Co-branding", "Partnerships", 3, _FAIR,
     "NPS", 30, "nps", ("identity", "benefit"), 5, "healthy",
     "Points for every trip, redeemable with partner cafés and cinemas."),
    (6, "Manage account", "Newsletter", "Email", "Communications", "Marketing", None, _ALWAYS,
     "CSAT", None, "share", ("benefit", "knowledge"), 3, "healthy",
     "Monthly news: new zones, new cars and member offers."),
    (6, "Manage account", "Cancelling membership", "Website", "Websites and electronic media",
     "Customer service", 2, _FAIR, "CSAT", 0.80, "share", ("autonomy", "respect"), 0, "healthy",
     "Ending the membership online and getting the deposit back."),
    (7, "Get help", "Call centre", "Call centre", "People", "Customer service", 5, _EFFORTLESS,
     "CSAT", 0.80, "share", ("convenience", "respect"), 10, "weak",
     "Phone support for bookings, charges and problems on the road."),
    (7, "Get help", "Live chat", "Live chat", "People", "Customer service", 4, _EFFORTLESS,
     "CSAT", 0.80, "share", ("recognition", "convenience"), 8, "healthy",
     "Chat with an agent in the app or on the website."),
    (7, "Get help", "Help centre articles", "Website", "Websites and electronic media",
     "Customer service", None, _EFFORTLESS, "CSAT", 0.75, "share", ("knowledge", "autonomy"), 6,
     "healthy", "Self-help articles and videos."),
    (7, "Get help", "Complaint handling", "Email", "People", "Customer service", 4, _FAIR,
     "CSAT", 4.0, "mean", ("respect", "promise"), 3, "at_risk",
     "Written complaints and their resolution."),
    (7, "Get help", "Hub service desk", "Parking hub", "Spatial environments", "Fleet operations", 3,
     _ALWAYS, "CSAT", 0.80, "share", ("respect", "knowledge"), 2, "healthy",
     "Staffed desk at the three largest parking hubs."),
    (7, "Get help", "Social media support", "Social media", "People", "Customer service", 3,
     _EFFORTLESS, "CSAT", 0.75, "share", ("respect", "recognition"), 3, "healthy",
     "Replies to questions and complaints on social media."),
)
# fmt: on

TOUCHPOINTS: tuple[SampleTouchpoint, ...] = tuple(SampleTouchpoint(*row) for row in _MAP_ROWS)
TOUCHPOINT_NAMES: tuple[str, ...] = tuple(tp.name for tp in TOUCHPOINTS)

# --------------------------------------------------------------------------------------
# Planted findings
# --------------------------------------------------------------------------------------
PLANTED_WEAK_TOUCHPOINTS: tuple[str, ...] = tuple(
    tp.name for tp in TOUCHPOINTS if tp.health == "weak"
)
PLANTED_WORSENING_THEME: str = "convenience"
# True weights of the NPS model in the wide survey: likelihood-to-recommend points (0-10)
# per rating point (1-5) of a touchpoint the respondent experienced.
NPS_DRIVER_WEIGHTS: dict[str, float] = {
    "Car availability nearby": 1.00,
    "Car condition and safety": 0.85,
    "Payment and charges": 0.75,
    "Unlocking the car": 0.35,
    "Car cleanliness": 0.30,
    "Call centre": 0.30,
    "Booking a car": 0.25,
    "Car map in the app": 0.15,
    "Returning the car": 0.15,
    "Website home page": 0.10,
    "Sign-up in the app": 0.10,
    "Pricing page": 0.10,
    "Monthly invoice": 0.10,
    "Live chat": 0.10,
    "Loyalty rewards": 0.10,
    "Help centre articles": 0.05,
}
PLANTED_MOMENTS_OF_TRUTH: tuple[str, ...] = (
    "Car availability nearby",
    "Car condition and safety",
    "Payment and charges",
)
# Touchpoints rated in the wide survey, in survey order (journey order).
WIDE_TOUCHPOINTS: tuple[str, ...] = tuple(n for n in TOUCHPOINT_NAMES if n in NPS_DRIVER_WEIGHTS)
# Touchpoints with deliberately few responses (transactional survey only), and how many.
SMALL_N_TOUCHPOINTS: dict[str, int] = {"Partner events": 17, "Cancelling membership": 24}

NPS_QUESTION = f"How likely are you to recommend {BRAND_NAME} to a friend or colleague? (0-10)"
OVERALL_QUESTION = "Overall satisfaction (1-5)"
WIDE_SEGMENT_COLUMNS: tuple[str, ...] = ("Customer type", "Region", "Plan", "Language")
WIDE_HEADER: tuple[str, ...] = (
    "Response ID",
    "Customer ID",
    "Submitted",
    *WIDE_SEGMENT_COLUMNS,
    NPS_QUESTION,
    OVERALL_QUESTION,
    *WIDE_TOUCHPOINTS,
    "Comment",
)
WIDE_TITLE_ROWS: tuple[str, ...] = (
    f"{BRAND_NAME} relationship survey — export",
    f"Exported {EXPORT_DATE.isoformat()} from SurveyTool",
)
LONG_HEADER: tuple[str, ...] = (
    "Response ID",
    "Customer ID",
    "Date",
    "Journey stage",
    "Touchpoint",
    "Channel",
    "CSAT (1-5)",
    "Effort: the company made it easy (1-7)",
    "Likelihood to recommend (0-10)",
    "Customer type",
    "Region",
    "Language",
    "Comment",
)
MAP_HEADER: tuple[str, ...] = (
    "Stage order",
    "Journey stage",
    "Touchpoint",
    "Channel",
    "Experience provider",
    "Owner",
    "Importance",
    "Reason to believe",
    "Target metric",
    "Promise target",
    "Description",
)
PROMISE_HEADER: tuple[str, ...] = ("Type", "Name", "Description")

# --------------------------------------------------------------------------------------
# Comment templates: theme -> sentiment -> (English, Vietnamese, Simplified, Traditional)
# --------------------------------------------------------------------------------------
Template = tuple[str, str, str, str]
# fmt: off
COMMENT_TEMPLATES: dict[str, dict[str, tuple[Template, ...]]] = {
    "trust": {
        "neg": (
            ("There was a hidden fee on my bill that nobody mentioned.",
             "Có phí ẩn trong hóa đơn mà không ai nói trước.",
             "账单里有隐藏费用，事先没人提过。", "帳單裡有隱藏費用，事先沒人提過。"),
            ("I was charged twice for the same trip.",
             "Tôi bị trừ tiền hai lần cho cùng một chuyến.",
             "同一趟行程扣了两次钱。", "同一趟行程扣了兩次錢。"),
            ("I feel cheated by the extra charges.",
             "Tôi cảm thấy bị lừa đảo vì các khoản phụ thu.",
             "额外收费让我觉得被骗了。", "額外收費讓我覺得被騙了。"),
        ),
        "pos": (
            ("Billing is transparent and reliable.",
             "Thanh toán minh bạch và đáng tin cậy.",
             "收费透明，很可靠。", "收費透明，很可靠。"),
            ("The app always charges the right amount, I trust it.",
             "App luôn tính đúng số tiền, tôi rất tin tưởng.",
             "每次扣款都准确，我很信任。", "每次扣款都準確，我很信任。"),
        ),
    },
    "convenience": {
        "neg": (
            ("I waited {n} minutes before anyone answered.",
             "Tôi phải chờ lâu, hơn {n} phút mới có người trả lời.",
             "等了很久，{n}分钟才有人接。", "等了很久，{n}分鐘才有人接。"),
            ("The queue was long and everything was slow.",
             "Phải xếp hàng lâu, mọi thứ đều quá chậm.",
             "排队太长，一切都太慢。", "排隊太長，一切都太慢。"),
            ("Too slow, I waited {n} minutes for nothing.",
             "Quá chậm, chờ lâu {n} phút mà không được gì.",
             "太慢了，白白等了很久，足足{n}分钟。", "太慢了，白白等了很久，足足{n}分鐘。"),
        ),
        "pos": (
            ("Quick and easy, done in two minutes.",
             "Nhanh và dễ dàng, xong trong hai phút.",
             "又快又方便，两分钟就搞定。", "又快又方便，兩分鐘就搞定。"),
            ("Fast process, no waiting at all.",
             "Quy trình nhanh gọn, không phải chờ lâu.",
             "流程很快，完全不用排队。", "流程很快，完全不用排隊。"),
        ),
    },
    "promise": {
        "neg": (
            ("Not as advertised: the car was not where the app promised.",
             "Không như quảng cáo, xe không ở chỗ như đã hứa.",
             "与广告不符，车根本不在承诺的位置。", "與廣告不符，車根本不在承諾的位置。"),
            ("They promised a refund within a week and it was delivered late.",
             "Họ hứa hoàn tiền trong một tuần nhưng bị trễ hẹn.",
             "承诺一周内退款，结果迟迟不到。", "承諾一週內退款，結果遲遲不到。"),
        ),
        "pos": (
            ("Exactly as advertised, they kept their promise.",
             "Đúng như quảng cáo, họ giữ lời hứa.",
             "和广告说的一样，说到做到。", "和廣告說的一樣，說到做到。"),
            ("The car was ready as promised.",
             "Xe đã sẵn sàng đúng như đã hứa.",
             "车按承诺准时准备好了。", "車按承諾準時準備好了。"),
        ),
    },
    "respect": {
        "neg": (
            ("The staff member was rude and ignored my question.",
             "Nhân viên thô lỗ và phớt lờ câu hỏi của tôi.",
             "工作人员态度粗鲁，不理我的问题。", "工作人員態度粗魯，不理我的問題。"),
            ("My complaint was ignored for two weeks.",
             "Khiếu nại của tôi bị phớt lờ suốt hai tuần.",
             "我的投诉两周都没人理。", "我的投訴兩週都沒人理。"),
        ),
        "pos": (
            ("Very polite staff, they listened to me.",
             "Nhân viên rất lịch sự và lắng nghe tôi.",
             "工作人员很有礼貌，认真听我说。", "工作人員很有禮貌，認真聽我說。"),
            ("My complaint was handled fairly and politely.",
             "Khiếu nại được xử lý công bằng và lịch sự.",
             "投诉处理得公平又有礼貌。", "投訴處理得公平又有禮貌。"),
        ),
    },
    "autonomy": {
        "neg": (
            ("I could not cancel online, I had to call them.",
             "Không thể hủy online, phải gọi điện.",
             "不能在线取消，只能打电话。", "不能線上取消，只能打電話。"),
            ("There is no self-service option to fix this myself.",
             "Không có chức năng tự phục vụ để tôi tự xử lý.",
             "没有自助功能，没法独立处理。", "沒有自助功能，沒法獨立處理。"),
        ),
        "pos": (
            ("I could sort it out myself in the app, great self-service.",
             "Tự phục vụ trên app rất tốt, tôi tự làm được hết.",
             "在应用里自助就能搞定，完全自主。", "在應用程式裡自助就能搞定，完全自主。"),
            ("Cancelled online in a minute, I am in control.",
             "Hủy online chỉ mất một phút, tôi tự chủ hoàn toàn.",
             "一分钟就在线取消了，完全自主。", "一分鐘就線上取消了，完全自主。"),
        ),
    },
    "choice": {
        "neg": (
            ("There is only one way to pay, I want more options.",
             "Chỉ có một cách thanh toán, tôi muốn nhiều lựa chọn hơn.",
             "只有一种付款方式，希望多些选择。", "只有一種付款方式，希望多些選擇。"),
            ("Too many choices of plans, it is confusing.",
             "Quá nhiều lựa chọn gói cước, rất rối.",
             "套餐选项太多，让人困惑。", "套餐選項太多，讓人困惑。"),
        ),
        "pos": (
            ("Good choice of car sizes and plans.",
             "Nhiều lựa chọn xe và gói cước, rất thích.",
             "车型和套餐选择很多。", "車型和套餐選擇很多。"),
            ("I like having options: app, web or phone.",
             "Thích vì có nhiều lựa chọn: app, web hoặc điện thoại.",
             "可以用应用、网站或电话，选项很多。", "可以用應用程式、網站或電話，選項很多。"),
        ),
    },
    "knowledge": {
        "neg": (
            ("The instructions were unclear and nobody explained the fuel card.",
             "Hướng dẫn khó hiểu, không ai giải thích về thẻ nhiên liệu.",
             "说明不清楚，也没人解释加油卡怎么用。", "說明不清楚，也沒人解釋加油卡怎麼用。"),
            ("The help article was unclear and gave no real advice.",
             "Bài hướng dẫn khó hiểu, không có tư vấn gì.",
             "帮助文章说明不清楚，没有任何建议。", "幫助文章說明不清楚，沒有任何建議。"),
        ),
        "pos": (
            ("The agent explained everything clearly and gave good tips.",
             "Nhân viên giải thích rất rõ và cho nhiều mẹo hay.",
             "客服解释得很清楚，还给了小贴士。", "客服解釋得很清楚，還給了小貼士。"),
            ("Great advice on which plan fits me.",
             "Tư vấn rất tốt về gói phù hợp với tôi.",
             "给了很好的建议，告诉我哪个套餐适合。", "給了很好的建議，告訴我哪個套餐適合。"),
        ),
    },
    "recognition": {
        "neg": (
            ("I had to repeat my details three times, they asked again for my licence.",
             "Phải nhắc lại thông tin ba lần, họ hỏi lại bằng lái.",
             "我的资料重复说了三遍，又问了一遍驾照。", "我的資料重複說了三遍，又問了一遍駕照。"),
            ("Every chat starts from zero, nobody remembered me.",
             "Lần nào chat cũng bắt đầu lại, không ai nhớ tôi.",
             "每次聊天都从头开始，没人记得我。", "每次聊天都從頭開始，沒人記得我。"),
        ),
        "pos": (
            ("They remembered me and greeted me by name.",
             "Họ nhớ tôi và gọi đúng tên.",
             "他们记得我，还叫出我的名字。", "他們記得我，還叫出我的名字。"),
            ("Nice that the agent knew my history and addressed me by name.",
             "Nhân viên biết các chuyến trước của tôi và gọi tên tôi, rất vui.",
             "客服记得我的情况，还叫我的名字。", "客服記得我的情況，還叫我的名字。"),
        ),
    },
    "benefit": {
        "neg": (
            ("This feature is not useful at all.",
             "Tính năng này không hữu ích chút nào.",
             "这个功能一点都不实用。", "這個功能一點都不實用。"),
            ("I expected it to make life easier, but it is not helpful.",
             "Tôi mong nó giúp cuộc sống dễ hơn nhưng chẳng có ích.",
             "本以为能让生活更轻松，结果没什么用。", "本以為能讓生活更輕鬆，結果沒什麼用。"),
        ),
        "pos": (
            ("Really helpful, it makes my life easier.",
             "Rất hữu ích, giúp cuộc sống dễ hơn.",
             "非常有用，让生活更轻松。", "非常有用，讓生活更輕鬆。"),
            ("Useful reminders that save me a trip.",
             "Nhắc nhở rất có ích, tiết kiệm cho tôi một chuyến đi.",
             "提醒很实用，帮我省了一趟。", "提醒很實用，幫我省了一趟。"),
        ),
    },
    "identity": {
        "neg": (
            ("My loyalty points disappeared and the member benefits are poor.",
             "Điểm thưởng của tôi bị mất, quyền lợi thành viên kém.",
             "我的积分不见了，会员福利也很差。", "我的積分不見了，會員福利也很差。"),
            ("Three years with them and never treated like a VIP.",
             "Dùng ba năm mà chưa bao giờ được đối xử như VIP.",
             "用了三年，从来没有VIP待遇。", "用了三年，從來沒有VIP待遇。"),
        ),
        "pos": (
            ("Love the member benefits and the loyalty points.",
             "Thích quyền lợi thành viên và điểm thưởng.",
             "会员福利和积分都很棒。", "會員福利和積分都很棒。"),
            ("The VIP upgrade made me feel part of the club.",
             "Được nâng cấp VIP, cảm thấy mình là thành viên thân thiết.",
             "升级成VIP，很有归属感。", "升級成VIP，很有歸屬感。"),
        ),
    },
}

# Signal words per theme and language, as they occur in the templates (Vietnamese in both
# spellings, Chinese in both scripts: see THEME_SIGNALS below).
_SIGNALS: dict[str, dict[str, tuple[str, ...]]] = {
    "trust": {
        "en": ("hidden fee", "charged twice", "cheated", "reliable", "transparent", "trust"),
        "vi": ("phí ẩn", "trừ tiền hai lần", "lừa đảo", "đáng tin cậy", "minh bạch", "tin tưởng"),
        "zh": ("隐藏费用", "隱藏費用", "扣了两次", "扣了兩次", "被骗", "被騙", "可靠", "透明", "信任"),
    },
    "convenience": {
        "en": ("wait", "queue", "slow", "easy", "fast", "quick"),
        "vi": ("chờ lâu", "xếp hàng", "chậm", "dễ dàng", "nhanh"),
        "zh": ("等了很久", "排队", "排隊", "太慢", "方便", "很快"),
    },
    "promise": {
        "en": ("promise", "advertised", "delivered late"),
        "vi": ("quảng cáo", "đã hứa", "lời hứa", "hứa hoàn tiền", "trễ hẹn"),
        "zh": ("广告", "廣告", "承诺", "承諾", "说到做到", "說到做到", "迟迟不到", "遲遲不到"),
    },
    "respect": {
        "en": ("rude", "ignored", "polite", "complaint"),
        "vi": ("thô lỗ", "phớt lờ", "lịch sự", "khiếu nại"),
        "zh": ("态度粗鲁", "態度粗魯", "不理", "没人理", "沒人理", "礼貌", "禮貌", "投诉", "投訴"),
    },
    "autonomy": {
        "en": ("self-service", "myself", "cancel online", "cancelled online", "in control"),
        "vi": ("tự phục vụ", "tự làm", "tự xử lý", "hủy online", "tự chủ"),
        "zh": ("自助", "自主", "在线取消", "線上取消"),
    },
    "choice": {
        "en": ("options", "only one way", "too many choices", "choice"),
        "vi": ("lựa chọn", "chỉ có một cách"),
        "zh": ("选择", "選擇", "选项", "選項", "只有一种", "只有一種"),
    },
    "knowledge": {
        "en": ("explained", "unclear", "advice", "tips"),
        "vi": ("giải thích", "khó hiểu", "tư vấn", "mẹo"),
        "zh": ("解释", "解釋", "说明不清楚", "說明不清楚", "建议", "建議", "小贴士", "小貼士"),
    },
    "recognition": {
        "en": ("remembered me", "asked again", "repeat my details", "by name"),
        "vi": ("nhớ tôi", "hỏi lại", "nhắc lại thông tin", "gọi đúng tên", "gọi tên"),
        "zh": ("记得我", "記得我", "又问了一遍", "又問了一遍", "重复", "重複", "名字"),
    },
    "benefit": {
        "en": ("helpful", "useful", "life easier"),
        "vi": ("hữu ích", "có ích", "cuộc sống dễ hơn"),
        "zh": ("有用", "没什么用", "沒什麼用", "实用", "實用", "生活更轻松", "生活更輕鬆"),
    },
    "identity": {
        "en": ("loyalty points", "member benefits", "VIP"),
        "vi": ("điểm thưởng", "quyền lợi thành viên", "thành viên thân thiết", "VIP"),
        "zh": ("积分", "積分", "会员福利", "會員福利", "VIP", "归属感", "歸屬感"),
    },
}
# fmt: on


def strip_vietnamese_diacritics(text: str) -> str:
    """Vietnamese as typed without diacritics: "chờ lâu" -> "cho lau", "đáng" -> "dang"."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", bare.replace("đ", "d").replace("Đ", "D"))


def _with_bare_vietnamese(words: Iterable[str]) -> list[str]:
    out: list[str] = []
    for word in words:
        for form in (word, strip_vietnamese_diacritics(word)):
            if form not in out:
                out.append(form)
    return out


# theme -> language ("en", "vi", "zh") -> signal words used by the comment templates.
# Vietnamese lists hold both spellings (with and without diacritics); Chinese lists hold
# Simplified and Traditional forms.
THEME_SIGNALS: dict[str, dict[str, list[str]]] = {
    theme: {
        "en": list(by_lang["en"]),
        "vi": _with_bare_vietnamese(by_lang["vi"]),
        "zh": list(by_lang["zh"]),
    }
    for theme, by_lang in _SIGNALS.items()
}

_PII_EMAILS: tuple[str, ...] = (
    "minh.tran@example.com",
    "lan.nguyen@example.org",
    "wei.chen@example.net",
    "sarah.jones@example.com",
    "hoa.le@example.com",
    "li.wang@example.org",
)
_PII_PHONES: tuple[str, ...] = (
    "+84 912 345 678",
    "0912 345 678",
    "(555) 014-2398",
    "+84 987 654 321",
    "0987 654 321",
    "(555) 013-7710",
)
# language variant -> (email sentence, phone sentence); variants: en, vi, vi_bare, zh_hans, zh_hant
_PII_SENTENCES: dict[str, tuple[str, str]] = {
    "en": ("Please contact me at {email}.", "Call me back on {phone}."),
    "vi": ("Liên hệ tôi qua {email}.", "Gọi lại cho tôi số {phone}."),
    "vi_bare": ("Lien he toi qua {email}.", "Goi lai cho toi so {phone}."),
    "zh_hans": ("请联系我：{email}", "请回电 {phone}"),
    "zh_hant": ("請聯繫我：{email}", "請回電 {phone}"),
}
_VARIANTS: tuple[str, ...] = ("en", "vi", "vi_bare", "zh_hans", "zh_hant")
_VARIANT_LANGUAGE: tuple[str, ...] = ("en", "vi", "vi", "zh", "zh")
_VARIANT_TEMPLATE_INDEX: tuple[int, ...] = (0, 1, 1, 2, 3)
_VARIANT_SEPARATOR: tuple[str, ...] = (" ", " ", " ", "", "")
PII_SHARE = 0.03  # share of comments carrying an email or a phone number


# --------------------------------------------------------------------------------------
# Score model
# --------------------------------------------------------------------------------------
LATENT_SD = 0.9  # spread of one contact's latent satisfaction around its touchpoint's quality
_INCIDENT_DROP = 1.6  # how far a convenience incident (long wait, queue) lowers satisfaction
_MARGINS: dict[str, dict[str, float]] = {
    # target unit -> health -> distance of the expected figure from the promise target
    "mean": {"weak": -0.45, "at_risk": -0.03, "healthy": 0.12, "strong": 0.28},
    "share": {"weak": -0.16, "at_risk": -0.01, "healthy": 0.05, "strong": 0.09},
    "nps": {"weak": -25.0, "at_risk": -2.0, "healthy": 8.0, "strong": 15.0},
}
DEFAULT_TARGET_SHARE = 0.80  # used to place touchpoints whose target is blank


def csat_from_latent(z: np.ndarray) -> np.ndarray:
    """CSAT 1-5 from latent satisfaction."""
    return np.clip(np.rint(z), 1, 5)


def ces_from_latent(z: np.ndarray, noise: np.ndarray) -> np.ndarray:
    """Effort 1-7 ("the company made it easy", 7 = strongly agree) from latent satisfaction."""
    return np.clip(np.rint(1.0 + (z - 1.0) * 1.5 + 0.6 * noise), 1, 7)


def ltr_from_latent(z: np.ndarray, noise: np.ndarray) -> np.ndarray:
    """Likelihood to recommend 0-10 from latent satisfaction."""
    return np.clip(np.rint((z - 1.0) * 2.4 + 0.6 + 1.1 * noise), 0, 10)


_QUALITY_GRID = np.linspace(0.0, 7.0, 701)


@functools.cache
def _figure_curve(metric: str, unit: str) -> np.ndarray:
    """Expected target figure at each quality of ``_QUALITY_GRID`` (fixed Monte-Carlo draws)."""
    noise = np.random.default_rng(12345).standard_normal((3, 4000))
    z = _QUALITY_GRID[:, None] + LATENT_SD * noise[0][None, :]
    if metric == "NPS":
        ltr = ltr_from_latent(z, noise[2][None, :])
        curve = ((ltr >= 9).mean(axis=1) - (ltr <= 6).mean(axis=1)) * 100.0
    elif metric == "CES":
        curve = (ces_from_latent(z, noise[1][None, :]) >= 5).mean(axis=1)
    else:
        csat = csat_from_latent(z)
        curve = csat.mean(axis=1) if unit == "mean" else (csat >= 4).mean(axis=1)
    return curve


@functools.cache
def touchpoint_quality(tp: SampleTouchpoint) -> float:
    """Latent quality (mean satisfaction on 1-5) that puts ``tp`` where its health says.

    The figure over the whole period, incidents of the worsening theme included, lands at
    the promise target plus the health margin (blank targets: an 80% top-2-box share).
    """
    target = tp.target if tp.target is not None else DEFAULT_TARGET_SHARE
    unit = tp.target_unit if tp.target is not None else "share"
    metric = tp.target_metric if tp.target is not None else "CSAT"
    goal = target + _MARGINS[unit][tp.health]
    curve = _figure_curve(metric, unit)
    rate = _mean_incident_rate() if tp.themes[0] == PLANTED_WORSENING_THEME else 0.0
    with_incidents = curve * (1 - rate) + rate * np.interp(
        _QUALITY_GRID - _INCIDENT_DROP, _QUALITY_GRID, curve
    )
    increasing = np.maximum.accumulate(with_incidents) + np.arange(curve.size) * 1e-9
    return float(np.interp(goal, increasing, _QUALITY_GRID))


# --------------------------------------------------------------------------------------
# Frames
# --------------------------------------------------------------------------------------
def touchpoint_map_frame() -> pd.DataFrame:
    """The touchpoint map exactly as written to the "Touchpoint map" sheet."""
    rows = [
        (
            tp.stage_order,
            tp.stage,
            tp.name,
            tp.channel,
            tp.provider,
            tp.owner,
            tp.importance,
            tp.pillar,
            tp.target_metric,
            tp.target,
            tp.description,
        )
        for tp in TOUCHPOINTS
    ]
    return pd.DataFrame(rows, columns=list(MAP_HEADER))


def promise_frame() -> pd.DataFrame:
    """The "Brand promise" sheet: the statement, then one row per reason to believe."""
    rows = [("Brand promise", PROMISE_STATEMENT, PROMISE_DESCRIPTION)]
    rows += [("Reason to believe", name, text) for name, text in REASONS_TO_BELIEVE]
    return pd.DataFrame(rows, columns=list(PROMISE_HEADER))


@dataclass
class SampleFeedback:
    """The two generated surveys as DataFrames, in file column order."""

    journey_survey: pd.DataFrame  # wide: one row per respondent
    transactional: pd.DataFrame  # long: one row per touchpoint contact
    summary: pd.DataFrame  # the decoy pivot table of the wide survey


@dataclass
class _Customers:
    ids: np.ndarray
    ctype: np.ndarray
    region: np.ndarray
    plan: np.ndarray
    variant: np.ndarray  # index into _VARIANTS (language and spelling the customer writes in)
    weight: np.ndarray = field(repr=False)  # how often each customer answers surveys


def _make_customers(rng: np.random.Generator, n: int) -> _Customers:
    numbers = rng.choice(900_000, size=n, replace=False) + 100_000
    ids = np.array([f"LS-{k}" for k in numbers], dtype=object)
    ctype = rng.choice(len(CUSTOMER_TYPES), size=n, p=CUSTOMER_TYPE_SHARES)
    region = rng.choice(len(REGIONS), size=n, p=REGION_SHARES)
    plan_p = np.array(
        [[0.45, 0.50, 0.05], [0.85, 0.13, 0.02], [0.10, 0.20, 0.70], [0.60, 0.38, 0.02]]
    )
    u = rng.random(n)
    plan = (u[:, None] > np.cumsum(plan_p[ctype], axis=1)).sum(axis=1)
    language = rng.choice(len(LANGUAGES), size=n, p=LANGUAGE_SHARES)
    half = rng.random(n) < 0.5
    variant = np.select([language == 0, language == 1, language == 2], [0, 1 + half, 3 + half])
    weight = rng.pareto(2.5, size=n) + 1.0
    return _Customers(ids, ctype, region, plan, variant, weight / weight.sum())


def _period_days() -> pd.DatetimeIndex:
    return pd.date_range(PERIOD_START, PERIOD_END, freq="D")


def _day_weights() -> np.ndarray:
    """Relative response volume per day: growth, summer season, December peak, weekends."""
    days = _period_days()
    doy = days.day_of_year.to_numpy()
    growth = 1.0 + 0.45 * np.arange(days.size) / days.size
    season = 1.0 + 0.18 * np.sin(2 * np.pi * (doy - 100) / 365.25)
    december = 1.0 + 0.25 * np.asarray((days.month == 12) & (days.day >= 10))
    weekend = np.where(days.day_of_week.to_numpy() >= 5, 1.15, 1.0)
    weight = growth * season * december * weekend
    return weight / weight.sum()


def _draw_timestamps(rng: np.random.Generator, n: int) -> np.ndarray:
    """Sorted response times: days by :func:`_day_weights`, times between 06:00 and 23:00."""
    days = _period_days()
    day = rng.choice(days.size, size=n, p=_day_weights())
    seconds = rng.integers(6 * 3600, 23 * 3600, size=n)
    stamps = days.to_numpy()[day] + seconds.astype("timedelta64[s]")
    return np.sort(stamps.astype("datetime64[s]"))


def _quality_shift(rng: np.random.Generator, stamps: np.ndarray) -> np.ndarray:
    """Seasonality (winter a little worse) plus month-to-month noise, per row."""
    ts = pd.DatetimeIndex(stamps)
    months = (ts.year - PERIOD_START.year) * 12 + ts.month - PERIOD_START.month
    month_noise = rng.normal(0.0, 0.04, size=int(months.max()) + 1)
    winter = -0.07 * np.cos(2 * np.pi * (ts.day_of_year.to_numpy() - 15) / 365.25)
    return winter + month_noise[months.to_numpy()]


def _incident_probability(stamps: np.ndarray) -> np.ndarray:
    """Chance that a contact at a convenience touchpoint is a long wait / queue incident.

    Rare (3%) until the last six months, then rising from 25% to 55%.
    """
    start = np.datetime64(WORSENING_START)
    end = np.datetime64(PERIOD_END) + np.timedelta64(1, "D")
    frac = (stamps - start) / (end - start)
    return np.where(stamps >= start, 0.25 + 0.30 * np.clip(frac, 0, 1), 0.03)


@functools.cache
def _mean_incident_rate() -> float:
    """Incident probability averaged over the period, weighted by daily volume."""
    days = _period_days().to_numpy().astype("datetime64[s]") + np.timedelta64(12, "h")
    return float((_incident_probability(days) * _day_weights()).sum())


@dataclass
class _CommentSpec:
    """What each comment row says: theme index, sentiment and writer variant."""

    row: np.ndarray
    theme: np.ndarray
    negative: np.ndarray
    variant: np.ndarray
    second_theme: np.ndarray  # -1 when the comment has one sentence


def _render_comments(rng: np.random.Generator, spec: _CommentSpec, n_rows: int) -> list[str | None]:
    """Fill the template sentences; a few comments get an email or phone number."""
    comments: list[str | None] = [None] * n_rows
    count = spec.row.size
    picks = rng.random((count, 2))
    minutes = rng.integers(15, 61, size=count)
    pii = rng.random(count) < PII_SHARE
    pii_kind = rng.integers(0, 2, size=count)
    pii_pick = rng.integers(0, 6, size=count)
    for k in range(count):
        variant = int(spec.variant[k])
        sentences = [
            _template_sentence(int(spec.theme[k]), bool(spec.negative[k]), variant, picks[k, 0])
        ]
        if spec.second_theme[k] >= 0:
            sentences.append(
                _template_sentence(
                    int(spec.second_theme[k]), bool(spec.negative[k]), variant, picks[k, 1]
                )
            )
        if pii[k]:
            email_text, phone_text = _PII_SENTENCES[_VARIANTS[variant]]
            sentences.append(
                email_text.format(email=_PII_EMAILS[pii_pick[k]])
                if pii_kind[k] == 0
                else phone_text.format(phone=_PII_PHONES[pii_pick[k]])
            )
        text = _VARIANT_SEPARATOR[variant].join(sentences).replace("{n}", str(minutes[k]))
        comments[int(spec.row[k])] = text
    return comments


def _template_sentence(theme: int, negative: bool, variant: int, pick: float) -> str:
    options = COMMENT_TEMPLATES[THEMES[theme]]["neg" if negative else "pos"]
    text = options[int(pick * len(options))][_VARIANT_TEMPLATE_INDEX[variant]]
    return strip_vietnamese_diacritics(text) if _VARIANTS[variant] == "vi_bare" else text


def _tp_arrays(names: Sequence[str]) -> dict[str, np.ndarray]:
    by_name = {tp.name: tp for tp in TOUCHPOINTS}
    tps = [by_name[n] for n in names]
    return {
        "quality": np.array([touchpoint_quality(tp) for tp in tps]),
        "theme1": np.array([THEMES.index(tp.themes[0]) for tp in tps]),
        "theme2": np.array([THEMES.index(tp.themes[1]) for tp in tps]),
        "frequency": np.array([tp.frequency for tp in tps], dtype=float),
        "incident_prone": np.array([tp.themes[0] == PLANTED_WORSENING_THEME for tp in tps]),
    }


def _allocate_touchpoints(rng: np.random.Generator, n: int) -> np.ndarray:
    """Touchpoint index per transactional row: fixed small counts, the rest by frequency."""
    freq = np.array([tp.frequency for tp in TOUCHPOINTS], dtype=float)
    fixed = {TOUCHPOINT_NAMES.index(name): count for name, count in SMALL_N_TOUCHPOINTS.items()}
    fixed = {i: min(c, max(1, n // 400)) if n < 400 * c else c for i, c in fixed.items()}
    rest = n - sum(fixed.values())
    counts = rng.multinomial(rest, freq / freq.sum())
    for i, c in fixed.items():
        counts[i] = c
    idx = np.repeat(np.arange(len(TOUCHPOINTS)), counts)
    return rng.permutation(idx)


def _transactional(rng: np.random.Generator, n: int, customers: _Customers) -> pd.DataFrame:
    stamps = _draw_timestamps(rng, n)
    tp_idx = _allocate_touchpoints(rng, n)
    arrays = _tp_arrays(TOUCHPOINT_NAMES)
    cust = rng.choice(customers.ids.size, size=n, p=customers.weight)
    noise = rng.standard_normal((3, n))
    incident = arrays["incident_prone"][tp_idx] & (rng.random(n) < _incident_probability(stamps))
    z = arrays["quality"][tp_idx] + _quality_shift(rng, stamps) + LATENT_SD * noise[0]
    z = z - _INCIDENT_DROP * incident
    csat = csat_from_latent(z)
    ces = ces_from_latent(z, noise[1])
    ltr = ltr_from_latent(z, noise[2])
    blanks = rng.random((3, n))
    csat_out = np.where(blanks[0] < 0.01, np.nan, csat)
    ces_out = np.where(blanks[1] < 0.08, np.nan, ces)
    ltr_out = np.where(blanks[2] < 0.05, np.nan, ltr)

    comment_p = 0.50 + 0.30 * (csat <= 2) + 0.12 * (csat == 5) + 0.45 * incident
    has_comment = rng.random(n) < np.clip(comment_p, 0, 0.95)
    negative = (csat <= 2) | ((csat == 3) & (rng.random(n) < 0.6)) | incident
    theme = np.where(rng.random(n) < 0.7, arrays["theme1"][tp_idx], arrays["theme2"][tp_idx])
    theme = np.where(incident, THEMES.index(PLANTED_WORSENING_THEME), theme)
    other = np.where(
        theme == arrays["theme1"][tp_idx], arrays["theme2"][tp_idx], arrays["theme1"][tp_idx]
    )
    second = np.where(rng.random(n) < 0.2, other, -1)
    rows = np.flatnonzero(has_comment)
    spec = _CommentSpec(
        rows, theme[rows], negative[rows], customers.variant[cust][rows], second[rows]
    )
    comments = _render_comments(rng, spec, n)

    tps = [TOUCHPOINTS[i] for i in range(len(TOUCHPOINTS))]
    return pd.DataFrame(
        {
            "Response ID": [f"TF-{k:06d}" for k in range(1, n + 1)],
            "Customer ID": customers.ids[cust],
            "Date": pd.DatetimeIndex(stamps).normalize(),
            "Journey stage": np.array([tp.stage for tp in tps], dtype=object)[tp_idx],
            "Touchpoint": np.array(TOUCHPOINT_NAMES, dtype=object)[tp_idx],
            "Channel": np.array([tp.channel for tp in tps], dtype=object)[tp_idx],
            "CSAT (1-5)": pd.array(csat_out, dtype="Int64"),
            "Effort: the company made it easy (1-7)": pd.array(ces_out, dtype="Int64"),
            "Likelihood to recommend (0-10)": pd.array(ltr_out, dtype="Int64"),
            "Customer type": np.array(CUSTOMER_TYPES, dtype=object)[customers.ctype[cust]],
            "Region": np.array(REGIONS, dtype=object)[customers.region[cust]],
            "Language": np.array(_VARIANT_LANGUAGE, dtype=object)[customers.variant[cust]],
            "Comment": pd.array(comments, dtype=object),
        }
    )


def _experienced_mask(rng: np.random.Generator, n: int, frequency: np.ndarray) -> np.ndarray:
    """Each respondent experienced 5-10 of the rated touchpoints, likelier the frequent ones."""
    k = rng.integers(5, 11, size=n)
    keys = np.log(frequency)[None, :] + rng.gumbel(size=(n, frequency.size))
    rank = np.argsort(np.argsort(-keys, axis=1), axis=1)
    return rank < k[:, None]


def _journey_survey(
    rng: np.random.Generator, n: int, customers: _Customers
) -> tuple[pd.DataFrame, pd.DataFrame]:
    stamps = _draw_timestamps(rng, n)
    arrays = _tp_arrays(WIDE_TOUCHPOINTS)
    n_tp = len(WIDE_TOUCHPOINTS)
    cust = rng.choice(customers.ids.size, size=n, p=customers.weight)
    mask = _experienced_mask(rng, n, arrays["frequency"])
    shift = _quality_shift(rng, stamps)
    incident = arrays["incident_prone"][None, :] & (
        rng.random((n, n_tp)) < _incident_probability(stamps)[:, None]
    )
    z = arrays["quality"][None, :] + shift[:, None] + LATENT_SD * rng.standard_normal((n, n_tp))
    ratings = csat_from_latent(z - _INCIDENT_DROP * incident)
    ratings = np.where(mask, ratings, np.nan)

    weights = np.array([NPS_DRIVER_WEIGHTS[name] for name in WIDE_TOUCHPOINTS])
    centre = np.nanmean(ratings, axis=0)
    drive = np.where(mask, (ratings - centre[None, :]) * weights[None, :], 0.0).sum(axis=1)
    latent_ltr = 7.8 + drive + rng.normal(0.0, 1.2, size=n)
    ltr = np.clip(np.rint(latent_ltr), 0, 10)
    overall = np.clip(np.rint(1.0 + latent_ltr / 2.4 + rng.normal(0.0, 0.45, size=n)), 1, 5)

    has_comment = rng.random(n) < np.where((ltr <= 6) | (ltr >= 10), 0.62, 0.45)
    negative = (ltr <= 6) | ((ltr <= 8) & (rng.random(n) < 0.4))
    filled = np.where(mask, ratings, np.where(negative[:, None], 9.0, -9.0))
    pick = np.where(negative, filled.argmin(axis=1), filled.argmax(axis=1))
    worst_incident = incident[np.arange(n), pick] & mask[np.arange(n), pick]
    theme = np.where(rng.random(n) < 0.7, arrays["theme1"][pick], arrays["theme2"][pick])
    theme = np.where(worst_incident & negative, THEMES.index(PLANTED_WORSENING_THEME), theme)
    second = np.full(n, -1)
    rows = np.flatnonzero(has_comment)
    spec = _CommentSpec(
        rows, theme[rows], negative[rows], customers.variant[cust][rows], second[rows]
    )
    comments = _render_comments(rng, spec, n)

    data: dict[str, Any] = {
        "Response ID": [f"JS-{k:06d}" for k in range(1, n + 1)],
        "Customer ID": customers.ids[cust],
        "Submitted": pd.DatetimeIndex(stamps).floor("min"),
        "Customer type": np.array(CUSTOMER_TYPES, dtype=object)[customers.ctype[cust]],
        "Region": np.array(REGIONS, dtype=object)[customers.region[cust]],
        "Plan": np.array(PLANS, dtype=object)[customers.plan[cust]],
        "Language": np.array(_VARIANT_LANGUAGE, dtype=object)[customers.variant[cust]],
        NPS_QUESTION: pd.array(ltr, dtype="Int64"),
        OVERALL_QUESTION: pd.array(overall, dtype="Int64"),
    }
    for j, name in enumerate(WIDE_TOUCHPOINTS):
        data[name] = pd.array(ratings[:, j], dtype="Int64")
    data["Comment"] = pd.array(comments, dtype=object)
    wide = pd.DataFrame(data)
    summary = _summary_pivot(wide)
    return wide, summary


def _summary_pivot(wide: pd.DataFrame) -> pd.DataFrame:
    """The decoy "Summary" sheet: average likelihood to recommend per customer type."""
    means = wide.groupby("Customer type")[NPS_QUESTION].mean()
    rows = [(t, round(float(means[t]), 2)) for t in CUSTOMER_TYPES if t in means.index]
    rows.append(("Grand Total", round(float(wide[NPS_QUESTION].mean()), 2)))
    return pd.DataFrame(rows, columns=["Row Labels", "Average of NPS"])


def generate_feedback(
    seed: int = DEFAULT_SEED, responses: int = DEFAULT_RESPONSES
) -> SampleFeedback:
    """Both surveys for ``responses`` responses in total (40% wide, 60% long)."""
    if responses < 100:
        raise ValueError("Ask for at least 100 responses so every planted finding has data.")
    rng = np.random.default_rng(seed)
    customers = _make_customers(rng, max(50, int(responses * 0.45)))
    n_wide = round(responses * WIDE_SHARE)
    wide, summary = _journey_survey(rng, n_wide, customers)
    long = _transactional(rng, responses - n_wide, customers)
    return SampleFeedback(journey_survey=wide, transactional=long, summary=summary)


# --------------------------------------------------------------------------------------
# Writing workbooks
# --------------------------------------------------------------------------------------
CellFormat = str | list[str | None]  # one number format for a column, or one per row


@dataclass
class _SheetSpec:
    name: str
    frame: pd.DataFrame
    formats: dict[str, CellFormat] = field(default_factory=dict)  # column -> number format(s)
    title_rows: tuple[str, ...] = ()
    blank_after_titles: bool = False
    max_width: int = 48


_BOLD = Font(bold=True)
_WRAP_HEADER = Alignment(wrap_text=True, vertical="top")
_DATE_FORMAT = "yyyy-mm-dd"
_DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


def _python_column(values: pd.Series) -> list[Any]:
    """Cells for openpyxl: None for blanks, Python int / float / str / datetime otherwise."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return [None if pd.isna(v) else v.to_pydatetime() for v in values]
    if pd.api.types.is_numeric_dtype(values):
        cells = values.astype(object).where(values.notna(), None).tolist()
        return [v.item() if isinstance(v, np.generic) else v for v in cells]
    return [None if v is None or (isinstance(v, float) and math.isnan(v)) else v for v in values]


def _column_width(header: str, values: list[Any], max_width: int) -> float:
    """Wide enough for the typical value (95th percentile of the first 500) and a wrapped header."""
    lengths = [
        16 if isinstance(v, datetime) else len(str(v)) for v in values[:500] if v is not None
    ]
    longest = int(np.percentile(lengths, 95)) if lengths else 4
    return float(min(max(longest, min(len(header), 18), 6) + 2, max_width))


def _styled(ws: Any, value: Any, **style: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    for key, val in style.items():
        setattr(cell, key, val)
    return cell


def _row_formats(spec: _SheetSpec, headers: list[str]) -> list[list[str | None]]:
    """Number format of every cell, column by column (None: general)."""
    n = len(spec.frame)
    out = []
    for header in headers:
        fmt = spec.formats.get(header)
        out.append(list(fmt) if isinstance(fmt, list) else [fmt] * n)
    return out


def _write_sheet(wb: Workbook, spec: _SheetSpec) -> None:
    """Title rows, a bold frozen header, then the data with real number formats."""
    ws = wb.create_sheet(spec.name)
    headers = [str(c) for c in spec.frame.columns]
    columns = [_python_column(spec.frame[c]) for c in spec.frame.columns]
    formats = _row_formats(spec, headers)
    for j, (header, values) in enumerate(zip(headers, columns, strict=True), start=1):
        ws.column_dimensions[get_column_letter(j)].width = _column_width(
            header, values, spec.max_width
        )
    header_row = len(spec.title_rows) + int(spec.blank_after_titles) + 1
    ws.freeze_panes = f"A{header_row + 1}"
    for i, title in enumerate(spec.title_rows):
        ws.append([_styled(ws, title, font=_BOLD)] if i == 0 else [title])
    if spec.blank_after_titles:
        ws.append([])
    ws.append([_styled(ws, h, font=_BOLD, alignment=_WRAP_HEADER) for h in headers])
    for row, row_fmt in zip(zip(*columns, strict=True), zip(*formats, strict=True), strict=True):
        ws.append(
            [
                v if fmt is None or v is None else _styled(ws, v, number_format=fmt)
                for v, fmt in zip(row, row_fmt, strict=True)
            ]
        )


_MODIFIED_RE = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _save_reproducibly(wb: Workbook, path: Path) -> None:
    """Save with fixed document and zip timestamps, so the same cells give the same bytes."""
    wb.properties.creator = "cxdash sample generator"
    wb.properties.lastModifiedBy = "cxdash sample generator"
    wb.properties.created = FIXED_TIMESTAMP
    buffer = io.BytesIO()
    wb.save(buffer)  # openpyxl stamps "modified" with the current time: replaced below
    stamp = FIXED_TIMESTAMP.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    zip_time = FIXED_TIMESTAMP.timetuple()[:6]
    buffer.seek(0)
    with (
        zipfile.ZipFile(buffer) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _MODIFIED_RE.sub(rb"\g<1>" + stamp + rb"\g<2>", data)
            entry = zipfile.ZipInfo(info.filename, date_time=zip_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, data)


def _write_workbook(path: Path, sheets: Sequence[_SheetSpec]) -> None:
    wb = Workbook(write_only=True)
    for spec in sheets:
        _write_sheet(wb, spec)
    _save_reproducibly(wb, path)


def _target_format(tp: SampleTouchpoint) -> str | None:
    """Targets in the units users write them: 80% as a percent cell, 4.2 as a mean, 30 as NPS."""
    if tp.target is None:
        return None
    return {"share": "0%", "mean": "0.0", "nps": "0"}[tp.target_unit]


def write_touchpoint_map(path: Path) -> None:
    """``touchpoint_map.xlsx``: sheets "Brand promise" and "Touchpoint map"."""
    tp_map = touchpoint_map_frame()
    tp_map["Importance"] = pd.array(tp_map["Importance"], dtype="Int64")
    tp_map["Promise target"] = [
        None if tp.target is None else (int(tp.target) if tp.target_unit == "nps" else tp.target)
        for tp in TOUCHPOINTS
    ]
    formats: dict[str, CellFormat] = {"Promise target": [_target_format(tp) for tp in TOUCHPOINTS]}
    _write_workbook(
        path,
        [
            _SheetSpec("Brand promise", promise_frame(), max_width=90),
            _SheetSpec("Touchpoint map", tp_map, formats, max_width=70),
        ],
    )


def write_journey_survey(path: Path, feedback: SampleFeedback) -> None:
    """``journey_survey.xlsx``: a decoy "Summary" pivot, then "Responses" under two title rows."""
    formats: dict[str, CellFormat] = {"Submitted": _DATETIME_FORMAT}
    _write_workbook(
        path,
        [
            _SheetSpec("Summary", feedback.summary, {"Average of NPS": "0.00"}),
            _SheetSpec(
                "Responses",
                feedback.journey_survey,
                formats,
                title_rows=WIDE_TITLE_ROWS,
                blank_after_titles=True,
                max_width=60,
            ),
        ],
    )


def write_transactional(path: Path, feedback: SampleFeedback) -> None:
    """``transactional_feedback.xlsx``: one sheet "Feedback", header on row 1."""
    formats: dict[str, CellFormat] = {"Date": _DATE_FORMAT}
    _write_workbook(path, [_SheetSpec("Feedback", feedback.transactional, formats, max_width=60)])


def cell_checksum(path: Path) -> str:
    """SHA-256 of every sheet name and cell value as python-calamine reads them back."""
    from python_calamine import CalamineWorkbook

    digest = hashlib.sha256()
    book = CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        digest.update(f"\x00sheet {name}\x00".encode())
        for row in book.get_sheet_by_name(name).to_python(skip_empty_area=False):
            digest.update(repr(row).encode())
    return digest.hexdigest()


def generate_sample_data(
    folder: Path, seed: int = DEFAULT_SEED, responses: int = DEFAULT_RESPONSES
) -> list[Path]:
    """Write the three workbooks and README.md into ``folder``; returns the workbook paths."""
    folder.mkdir(parents=True, exist_ok=True)
    feedback = generate_feedback(seed, responses)
    paths = [folder / MAP_FILE, folder / WIDE_FILE, folder / LONG_FILE]
    write_touchpoint_map(paths[0])
    write_journey_survey(paths[1], feedback)
    write_transactional(paths[2], feedback)
    checksums = {p.name: cell_checksum(p) for p in paths}
    readme = readme_text(feedback, checksums, seed=seed, responses=responses)
    (folder / "README.md").write_text(readme, encoding="utf-8")
    return paths


# --------------------------------------------------------------------------------------
# README
# --------------------------------------------------------------------------------------
_LONG_METRIC_COLUMNS = {
    "CSAT": "CSAT (1-5)",
    "CES": "Effort: the company made it easy (1-7)",
    "NPS": "Likelihood to recommend (0-10)",
}


def touchpoint_figures(transactional: pd.DataFrame) -> pd.DataFrame:
    """Each touchpoint's figure in its target's unit, with n and a normal 95% interval.

    Blank targets are read as an 80% CSAT top-2-box share. Used for the README.
    """
    rows = []
    for tp in TOUCHPOINTS:
        metric = tp.target_metric if tp.target is not None else "CSAT"
        unit = tp.target_unit if tp.target is not None else "share"
        target = tp.target if tp.target is not None else DEFAULT_TARGET_SHARE
        values = transactional.loc[
            transactional["Touchpoint"] == tp.name, _LONG_METRIC_COLUMNS[metric]
        ]
        v = values.dropna().to_numpy(dtype=float)
        figure, se = _figure_and_error(metric, unit, v)
        rows.append(
            (tp.name, v.size, metric, unit, target, figure, figure - 1.96 * se, figure + 1.96 * se)
        )
    cols = ["touchpoint", "n", "metric", "unit", "target", "figure", "low", "high"]
    return pd.DataFrame(rows, columns=cols)


def _figure_and_error(metric: str, unit: str, v: np.ndarray) -> tuple[float, float]:
    n = max(v.size, 1)
    if metric == "NPS":
        p, d = float((v >= 9).mean()), float((v <= 6).mean())
        return (p - d) * 100.0, 100.0 * math.sqrt(max(p + d - (p - d) ** 2, 0.0) / n)
    if unit == "mean":
        return float(v.mean()), float(v.std(ddof=1) / math.sqrt(n))
    share = float((v >= (5 if metric == "CES" else 4)).mean())
    return share, math.sqrt(share * (1 - share) / n)


def _fmt_figure(value: float, unit: str) -> str:
    return {"share": f"{value:.0%}", "mean": f"{value:.2f}", "nps": f"{value:+.0f}"}[unit]


@dataclass
class _PeriodMentions:
    """Comments mentioning a theme in one period of the transactional survey."""

    count: int
    share_of_comments: float
    top2_share: float  # CSAT top-2-box share of the responses whose comment mentions the theme


def _worsening_summary(transactional: pd.DataFrame) -> tuple[_PeriodMentions, _PeriodMentions]:
    """Mentions of the worsening theme in the six months before and the last six months."""
    words = [w.lower() for ws in THEME_SIGNALS[PLANTED_WORSENING_THEME].values() for w in ws]
    comments = transactional["Comment"].fillna("").str.lower()
    mentions = comments.map(lambda text: any(w in text for w in words)).astype(bool)
    has_comment = comments != ""
    recent = transactional["Date"] >= pd.Timestamp(WORSENING_START)
    previous = ~recent & (
        transactional["Date"] >= pd.Timestamp(WORSENING_START) - pd.DateOffset(months=6)
    )
    top2 = transactional["CSAT (1-5)"] >= 4
    before, after = (
        _PeriodMentions(
            count=int((period & mentions).sum()),
            share_of_comments=float(mentions[period & has_comment].mean()),
            top2_share=float(top2[period & mentions].mean()),
        )
        for period in (previous, recent)
    )
    return before, after


def _touchpoint_table(figures: pd.DataFrame) -> list[str]:
    """Markdown table of the map with each touchpoint's figure and its planted role."""
    roles: dict[str, list[str]] = {}
    for name in PLANTED_WEAK_TOUCHPOINTS:
        roles.setdefault(name, []).append("weak")
    for name in PLANTED_MOMENTS_OF_TRUTH:
        roles.setdefault(name, []).append("moment of truth")
    for name in SMALL_N_TOUCHPOINTS:
        roles.setdefault(name, []).append("few responses")
    lines = [
        "| Stage | Touchpoint | Provider | Owner | Importance | Target | Figure | n | Planted |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for tp in TOUCHPOINTS:
        f = figures.loc[tp.name]
        target = (
            "(blank)"
            if tp.target is None
            else f"{tp.target_metric} {_fmt_figure(f.target, f.unit)}"
        )
        importance = "(blank)" if tp.importance is None else str(tp.importance)
        lines.append(
            f"| {tp.stage_order} {tp.stage} | {tp.name} | {tp.provider} | {tp.owner} | {importance} "
            f"| {target} | {_fmt_figure(f.figure, f.unit)} | {f.n} | {', '.join(roles.get(tp.name, []))} |"
        )
    return lines


def readme_text(
    feedback: SampleFeedback, checksums: dict[str, str], *, seed: int, responses: int
) -> str:
    """``sample_data/README.md``: the brand, the files, the planted findings, how to regenerate."""
    long, wide = feedback.transactional, feedback.journey_survey
    figures = touchpoint_figures(long).set_index("touchpoint")
    by_name = {tp.name: tp for tp in TOUCHPOINTS}
    comments = pd.concat([long["Comment"], wide["Comment"]]).dropna()
    languages = pd.concat([long["Language"], wide["Language"]])
    lang_share = languages[
        pd.concat([long["Comment"], wide["Comment"]]).notna().to_numpy()
    ].value_counts(normalize=True)
    pii = comments.str.contains("@example|\\d{3}[ -]\\d{3}", regex=True).mean()
    before, after = _worsening_summary(long)
    stages = sorted({(tp.stage_order, tp.stage) for tp in TOUCHPOINTS})
    lines = [
        f"# Sample data: {BRAND_NAME}",
        "",
        f"{BRAND_NAME} is a fictional car-sharing service. These workbooks are what cxdash loads on",
        "first start. They are generated by `cxdash/sample.py` (seed "
        f"{seed}, {responses:,} responses); do not edit them by hand.",
        "",
        "## The brand promise",
        "",
        f"**{PROMISE_STATEMENT}** {PROMISE_DESCRIPTION}",
        "",
        "Reasons to believe:",
        "",
        *[f"- **{name}**: {text}" for name, text in REASONS_TO_BELIEVE],
        "",
        "## The files",
        "",
        f"### `{MAP_FILE}`",
        "",
        f"- Sheet **Brand promise**: header on row 1 (`{' | '.join(PROMISE_HEADER)}`); one `Brand promise`",
        f"  row and {len(REASONS_TO_BELIEVE)} `Reason to believe` rows.",
        f"- Sheet **Touchpoint map**: header on row 1 (`{' | '.join(MAP_HEADER)}`);",
        f"  {len(TOUCHPOINTS)} touchpoints over {len(stages)} journey stages "
        f"({', '.join(f'{o} {s}' for o, s in stages)}).",
        "  Every touchpoint has one of the seven experience providers and an owner. *Importance* is",
        "  the stated importance 1-5, blank for "
        + ", ".join(f"*{tp.name}*" for tp in TOUCHPOINTS if tp.importance is None)
        + " (derived importance fills in).",
        "  *Promise target* is in the unit of its *Target metric*, as people write them: CSAT as a",
        "  mean on the 1-5 scale (a number such as 4.2) or as a top-2-box share (a percent cell,",
        "  0.8 shown as 80%); CES as the share answering 5-7 (a percent cell); NPS in points (30).",
        "  The target is blank for "
        + ", ".join(f"*{tp.name}*" for tp in TOUCHPOINTS if tp.target is None)
        + " (the workspace default applies).",
        "",
        f"### `{WIDE_FILE}`: a wide relationship survey ({len(wide):,} respondents)",
        "",
        "- Sheet **Summary** comes first: a small pivot table (`Row Labels`, `Average of NPS`,",
        "  `Grand Total`), a decoy the importer must skip.",
        "- Sheet **Responses**: two title rows (`"
        + "`, `".join(WIDE_TITLE_ROWS)
        + "`), a blank row, the header on row 4, data from row 5.",
        "  Columns: `Response ID`, `Customer ID`, `Submitted` (date and time), segments",
        "  `Customer type`, `Region`, `Plan`, `Language` (the respondent's: en / vi / zh),",
        f"  `{NPS_QUESTION}`, `{OVERALL_QUESTION}`, then one rating column (1-5) per touchpoint,",
        "  headed with the touchpoint name exactly as in the map, blank when the respondent did not",
        "  experience it (each rated 5-10 of them), and `Comment`.",
        f"  Rated touchpoints ({len(WIDE_TOUCHPOINTS)}): " + ", ".join(WIDE_TOUCHPOINTS) + ".",
        "",
        f"### `{LONG_FILE}`: a long transactional survey ({len(long):,} rows)",
        "",
        f"- One sheet **Feedback**, header on row 1: `{' | '.join(LONG_HEADER)}`.",
        "- One row per touchpoint contact; stage and channel are the map's. `Date` is a date cell.",
        "  CSAT 1-5, effort 1-7 (7 = the company made it very easy), likelihood to recommend 0-10;",
        "  a few answers are blank, as in real exports.",
        "",
        "### Common to both surveys",
        "",
        f"- Responses from {PERIOD_START.isoformat()} to {PERIOD_END.isoformat()} (18 months), with",
        "  growing volume, a summer season, a December peak and month-to-month noise.",
        "- Segments: Customer type ("
        + ", ".join(CUSTOMER_TYPES)
        + "), Region ("
        + ", ".join(REGIONS)
        + "), Plan ("
        + ", ".join(PLANS)
        + "; wide survey only).",
        f"- {len(comments):,} comments ({len(comments) / (len(long) + len(wide)):.0%} of responses): "
        + ", ".join(f"{k} {v:.0%}" for k, v in lang_share.items())
        + ". Half of the Vietnamese is typed without diacritics; Chinese is half Simplified, half",
        "  Traditional. Comments are built from template sentences per experience theme and",
        "  sentiment (`COMMENT_TEMPLATES`, signal words in `THEME_SIGNALS`); the theme follows the",
        "  touchpoint and the sentiment follows the score.",
        f"- About {pii:.0%} of comments contain personal data (fictional emails at example.com /",
        "  .org / .net and phone numbers such as `+84 912 345 678`, `(555) 014-2398`) for masking.",
        "",
        "## Touchpoints at a glance",
        "",
        "Figures from the transactional survey, in the unit of the target (blank targets read as",
        "CSAT 80%); n counts the answers to the target's metric.",
        "",
        *_touchpoint_table(figures),
        "",
        "## Planted findings",
        "",
        "The numbers below are computed from the generated files.",
        "",
        "### Weak touchpoints (`PLANTED_WEAK_TOUCHPOINTS`)",
        "",
        "High importance, clearly below the promise target; the whole 95% interval is below it.",
        "",
        "| Touchpoint | Importance | Target | Figure (transactional) | 95% interval | n |",
        "|---|---|---|---|---|---|",
    ]
    for name in PLANTED_WEAK_TOUCHPOINTS:
        tp, f = by_name[name], figures.loc[name]
        lines.append(
            f"| {name} | {tp.importance} | {tp.target_metric} {_fmt_figure(f.target, f.unit)} | "
            f"{_fmt_figure(f.figure, f.unit)} | {_fmt_figure(f.low, f.unit)} to "
            f"{_fmt_figure(f.high, f.unit)} | {f.n} |"
        )
    lines += [
        "",
        "Every other touchpoint meets its target or sits near it (a few are *at risk*).",
        "",
        f"### Worsening theme (`PLANTED_WORSENING_THEME` = `{PLANTED_WORSENING_THEME}`)",
        "",
        f"From {WORSENING_START.isoformat()} (the last six months) contacts at the touchpoints whose",
        f"main theme is {PLANTED_WORSENING_THEME} ("
        + ", ".join(tp.name for tp in TOUCHPOINTS if tp.themes[0] == PLANTED_WORSENING_THEME)
        + ") increasingly",
        "turn into long waits and queues (from 25% to 55% of contacts, 3% before). In the",
        "transactional survey, six months before vs the last six months:",
        "",
        "| | Before | Last six months |",
        "|---|---|---|",
        f"| Comments mentioning the theme's signal words | {before.count} | {after.count} |",
        f"| ... as a share of all comments | {before.share_of_comments:.0%} "
        f"| {after.share_of_comments:.0%} |",
        f"| CSAT top-2-box share of those responses | {before.top2_share:.0%} "
        f"| {after.top2_share:.0%} |",
        "",
        "The fall in top-2-box share is significant in a two-proportion test.",
        "",
        "### Moments of truth (`PLANTED_MOMENTS_OF_TRUTH`)",
        "",
        "In the wide survey, likelihood to recommend = 7.8 + sum over the touchpoints the",
        "respondent rated of weight x (rating - touchpoint mean) + normal noise (sd 1.2), rounded and",
        "clipped to 0-10. True weights (`NPS_DRIVER_WEIGHTS`, points of 0-10 per rating point); the",
        "first three are the moments of truth:",
        "",
        "| Touchpoint | Weight |",
        "|---|---|",
        *[
            f"| {name} | {w:.2f} |"
            for name, w in sorted(NPS_DRIVER_WEIGHTS.items(), key=lambda kv: -kv[1])
        ],
        "",
        "### Too few responses (`SMALL_N_TOUCHPOINTS`)",
        "",
        *[
            f"- {name}: {int(figures.loc[name].n)} responses (directional only)."
            for name in SMALL_N_TOUCHPOINTS
        ],
        "",
        "## Regenerating",
        "",
        "```",
        "make sample",
        f"python -m cxdash.sample sample_data --seed {DEFAULT_SEED} --responses {DEFAULT_RESPONSES}",
        "```",
        "",
        "The same seed gives the same cell values. Workbooks are written with openpyxl in write-only",
        "mode with fixed creation/modification dates and zip entry times, so they are also",
        "byte-identical as long as openpyxl and zlib are the same versions. SHA-256 of the cell",
        "values as python-calamine reads them (`cxdash.sample.cell_checksum`):",
        "",
        "| File | Cell checksum |",
        "|---|---|",
        *[f"| `{name}` | `{digest}` |" for name, digest in checksums.items()],
        "",
    ]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------
# Canonical rows for benchmarks
# --------------------------------------------------------------------------------------
# Column order of the workspace ``feedback`` table.
FEEDBACK_FRAME_COLUMNS: tuple[str, ...] = (
    "import_id",
    "sheet",
    "source_row",
    "response_id",
    "response_key",
    "id_given",
    "respondent_id",
    "ts",
    "stage",
    "touchpoint",
    "channel",
    "segments",
    "metric",
    "raw_value",
    "value",
    "scale_min",
    "scale_max",
    "score",
    "comment",
    "language",
    "themes",
    "theme_source",
    "extra",
)
_SYNTHETIC_METRICS: tuple[str, ...] = ("csat", "ces", "nps")
_SYNTHETIC_SCALES = np.array([[1.0, 5.0], [1.0, 7.0], [0.0, 10.0]])
_POOL_PER_CELL = 3  # pre-rendered comments per theme x sentiment x writer variant


def _object_array(items: Sequence[Any]) -> np.ndarray:
    """A 1-D object array holding ``items`` as they are (lists and dicts stay whole)."""
    out = np.empty(len(items), dtype=object)
    for i, item in enumerate(items):
        out[i] = item
    return out


def _comment_pool() -> list[str]:
    """Rendered comments indexed by ((theme * 2 + negative) * variants + variant) * k + pick."""
    texts = []
    for theme in THEMES:
        for sentiment in ("pos", "neg"):
            options = COMMENT_TEMPLATES[theme][sentiment]
            for variant in range(len(_VARIANTS)):
                for pick in range(_POOL_PER_CELL):
                    text = _template_sentence(
                        THEMES.index(theme),
                        sentiment == "neg",
                        variant,
                        (pick % len(options)) / len(options),
                    )
                    texts.append(text.replace("{n}", str(20 + 10 * pick)))
    return texts


def _segment_pool() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every customer type x region x plan combination as a dict, and its parts."""
    combos = [
        (c, r, p)
        for c in range(len(CUSTOMER_TYPES))
        for r in range(len(REGIONS))
        for p in range(len(PLANS))
    ]
    dicts = _object_array(
        [
            {"Customer type": CUSTOMER_TYPES[c], "Region": REGIONS[r], "Plan": PLANS[p]}
            for c, r, p in combos
        ]
    )
    keys = _object_array([["Customer type", "Region", "Plan"]] * len(combos))
    values = _object_array([[CUSTOMER_TYPES[c], REGIONS[r], PLANS[p]] for c, r, p in combos])
    return dicts, keys, values, np.arange(len(combos))


def _prefixed_ids(prefix: str, numbers: np.ndarray) -> pd.Series:
    """``prefix`` + number as strings, vectorised (Arrow string kernels)."""
    return prefix + pd.Series(numbers, copy=False).astype("str")


def _strings(pool: Sequence[str | None], codes: np.ndarray) -> pd.Series:
    """``pool[codes]`` as a pandas ``str`` column, built by Arrow without Python objects."""
    import pyarrow as pa

    return pd.Series(pa.array(pool, type=pa.large_string()).take(pa.array(codes)), dtype="str")


def synthetic_feedback_frame(
    n_rows: int, seed: int = 7, *, segments_as: Literal["dict", "lists"] = "dict"
) -> pd.DataFrame:
    """``n_rows`` canonical ``feedback`` rows (columns ``FEEDBACK_FRAME_COLUMNS``) for benchmarks.

    Every response is a touchpoint contact of the sample map giving three rows (csat, ces,
    nps) with the same score model as the sample workbooks; about half of the csat rows carry
    a comment (from a pool of rendered templates) tagged with its theme by "codebook".
    ``response_key`` numbers the responses 1, 2, 3 ...: add an offset to keep keys unique
    when more frames go into one workspace.
    Fully vectorised: cells that are Python objects (``segments`` dicts, ``themes`` lists) are
    picked from small pools, so rows **share** these objects: treat them as read-only.

    ``segments_as="lists"`` replaces ``segments`` by two parallel list columns
    ``segment_keys`` and ``segment_values`` (what DuckDB's ``map(keys, values)`` takes).
    """
    if n_rows < 0:
        raise ValueError("n_rows must not be negative")
    rng = np.random.default_rng(seed)
    n_resp = -(-n_rows // 3)
    resp = np.arange(n_rows) // 3
    metric = np.arange(n_rows) % 3
    freq = np.array([max(tp.frequency, 0.05) for tp in TOUCHPOINTS])
    tp = rng.choice(len(TOUCHPOINTS), size=n_resp, p=freq / freq.sum())
    days = _period_days().to_numpy().astype("datetime64[s]")
    stamps = days[rng.integers(0, days.size, n_resp)] + rng.integers(
        6 * 3600, 23 * 3600, n_resp
    ).astype("timedelta64[s]")
    n_cust = max(1, n_resp // 3)
    cust = rng.integers(0, n_cust, n_resp)
    seg_dicts, seg_keys, seg_values, seg_ids = _segment_pool()
    cust_segment = rng.choice(seg_ids, size=n_cust)[cust]
    cust_variant = rng.choice(len(_VARIANTS), size=n_cust, p=[0.60, 0.125, 0.125, 0.075, 0.075])[
        cust
    ]

    quality = np.array([touchpoint_quality(t) for t in TOUCHPOINTS])
    z = quality[tp] + LATENT_SD * rng.standard_normal(n_resp)
    noise = rng.standard_normal((2, n_resp))
    scores = np.stack(
        [csat_from_latent(z), ces_from_latent(z, noise[0]), ltr_from_latent(z, noise[1])]
    )
    value = scores[metric, resp]
    lo, hi = _SYNTHETIC_SCALES[metric, 0], _SYNTHETIC_SCALES[metric, 1]

    commented = (metric == 0) & (rng.random(n_rows) < 0.5)
    theme1 = np.array([THEMES.index(t.themes[0]) for t in TOUCHPOINTS])[tp][resp]
    negative = (value <= 3) & commented
    pick = rng.integers(0, _POOL_PER_CELL, n_rows)
    pool_index = (
        (theme1 * 2 + negative) * len(_VARIANTS) + cust_variant[resp]
    ) * _POOL_PER_CELL + pick
    theme_lists = _object_array([[t] for t in THEMES] + [[]])
    themes = theme_lists[np.where(commented, theme1, len(THEMES))]

    tp_row = tp[resp]
    zeros = np.zeros(n_rows, dtype=np.int64)
    pool: list[str | None] = [*_comment_pool(), None]
    frame = pd.DataFrame(
        {
            "import_id": _strings(["synthetic"], zeros),
            "sheet": _strings(["Feedback"], zeros),
            "source_row": (resp + 2).astype(np.int32),
            "response_id": _prefixed_ids("SYN-", resp).array,
            "response_key": (resp + 1).astype(np.int64),
            "id_given": np.ones(n_rows, dtype=bool),
            "respondent_id": _prefixed_ids("LS-", cust[resp] + 100_000).array,
            "ts": stamps[resp].astype("datetime64[us]"),
            "stage": _strings([t.stage for t in TOUCHPOINTS], tp_row),
            "touchpoint": _strings(TOUCHPOINT_NAMES, tp_row),
            "channel": _strings([t.channel for t in TOUCHPOINTS], tp_row),
            "segments": seg_dicts[cust_segment[resp]],
            "metric": _strings(_SYNTHETIC_METRICS, metric),
            "raw_value": _strings([str(k) for k in range(11)], value.astype(np.int64)),
            "value": value,
            "scale_min": lo,
            "scale_max": hi,
            "score": (value - lo) / (hi - lo) * 100.0,
            "comment": _strings(pool, np.where(commented, pool_index, len(pool) - 1)),
            "language": _strings(_VARIANT_LANGUAGE, cust_variant[resp]),
            "themes": themes,
            "theme_source": _strings(["codebook", None], np.where(commented, 0, 1)),
            "extra": _strings(["{}"], zeros),
        }
    )
    if segments_as == "lists":
        position = frame.columns.get_loc("segments")
        frame = frame.drop(columns=["segments"])
        frame.insert(position, "segment_keys", seg_keys[cust_segment[resp]])
        frame.insert(position + 1, "segment_values", seg_values[cust_segment[resp]])
    return frame


# --------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------
def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m cxdash.sample",
        description=f"Write the {BRAND_NAME} sample workbooks (same seed, same data).",
    )
    parser.add_argument(
        "folder", nargs="?", default="sample_data", help="output folder (default: sample_data)"
    )
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default: {DEFAULT_SEED})"
    )
    parser.add_argument(
        "--responses",
        type=int,
        default=DEFAULT_RESPONSES,
        help=f"total survey responses, 40%% wide and 60%% long (default: {DEFAULT_RESPONSES})",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit code."""
    args = _parse_args(argv)
    if args.responses < 100:
        print("Please ask for at least 100 responses (--responses 100 or more).")
        return 2
    paths = generate_sample_data(Path(args.folder), seed=args.seed, responses=args.responses)
    for path in paths:
        print(f"wrote {path} ({path.stat().st_size / 1024:.0f} KB)")
    print(f"wrote {Path(args.folder) / 'README.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
