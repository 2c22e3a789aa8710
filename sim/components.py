"""Vocabulary of one breach event: loss components, causes and their indices.

Every array in the package that has a component axis orders it as :data:`COMPONENTS`,
and every cause code is an index into :data:`CAUSES` (``design.md`` section 3).
"""
from __future__ import annotations

from typing import NamedTuple


class Component(NamedTuple):
    """One loss component: its name, the side it falls on and its Japanese label."""

    name: str
    side: str  # "liability" or "cost"
    label_ja: str
    description: str


_COMPONENT_TABLE: tuple[Component, ...] = (
    # Liability side
    Component("damages", "liability", "損害賠償金", "legal damages paid to victims"),
    Component("litigation", "liability", "争訟費用", "defence lawyers and other litigation costs"),
    Component("court_attendance", "liability", "裁判所出頭費用", "officers'/employees' court days"),
    Component("card_fraud", "liability", "クレジットカード不正使用", "card-number misuse losses claimed"),
    Component("corporate_info", "liability", "企業情報漏えい", "leak of non-personal business information"),
    Component("business_interruption_others", "liability", "他人の業務阻害",
              "others' business disrupted by the insured's information system"),
    Component("bodily_property", "liability", "身体障害・財物損壊",
              "bodily injury or property damage to others from a cyber attack"),
    # Extensions beyond design.md section 3, needed by terms in the brochures:
    Component("consolation_damages", "liability", "見舞金・見舞品費用に起因する損害賠償金",
              "damages arising from consolation money (e.g. a data owner's recourse claim)"),
    Component("ip_infringement", "liability", "知的財産権侵害", "patent/IP infringement damages"),
    Component("it_work_interruption", "liability", "IT業務に起因する業務阻害",
              "others' business disrupted by the insured's IT work (JCCI IT業務特約)"),
    Component("corporate_info_litigation", "liability", "企業情報漏えいの争訟費用",
              "defence costs (incl. court days) of a corporate-information claim"),
    Component("ip_litigation", "liability", "知的財産権侵害の争訟費用",
              "defence costs (incl. court days) of an IP-infringement claim"),
    # Cost side
    Component("consulting", "cost", "危機管理コンサルティング費用", "crisis-management consulting"),
    Component("legal_consultation", "cost", "法律相談費用", "lawyer consultation"),
    Component("investigation", "cost", "原因・被害範囲調査費用", "cause and scope investigation"),
    Component("forensics", "cost", "サイバー攻撃調査費用", "cyber-attack scoping and evidence"),
    Component("letters", "cost", "詫び状作成・送付", "apology letters"),
    Component("call_center", "cost", "コールセンター", "call centre and extra phone lines"),
    Component("newspaper_notice", "cost", "新聞社告・謝罪広告", "newspaper apology notices"),
    Component("web_notice", "cost", "お詫び掲載", "apology posted on the web"),
    Component("press_conference", "cost", "記者会見", "press conference"),
    Component("staff_overtime", "cost", "人件費", "staff overtime, travel and lodging"),
    Component("consolation", "cost", "見舞金・見舞品", "consolation money or gifts to individuals"),
    Component("consolation_corporate", "cost", "見舞金・見舞品(法人)",
              "consolation money or gifts to corporate victims"),
    Component("consolation_shipping", "cost", "見舞金・見舞品送付費用", "shipping consolation gifts"),
    Component("credit_monitoring", "cost", "クレジット情報モニタリング費用", "credit monitoring"),
    Component("public_inquiry", "cost", "公的調査対応費用", "responding to public investigations"),
    Component("system_recovery", "cost", "情報システム等復旧費用", "system and data recovery"),
    Component("spread_prevention", "cost", "被害拡大防止費用", "preventing the damage spreading"),
    Component("recurrence_prevention", "cost", "再発防止費用", "preventing recurrence"),
    Component("pr_activity", "cost", "広告宣伝活動費用", "advertising to restore reputation"),
)

COMPONENTS: tuple[str, ...] = tuple(c.name for c in _COMPONENT_TABLE)
"""Names of all loss components, in array order."""

COMPONENT_INFO: dict[str, Component] = {c.name: c for c in _COMPONENT_TABLE}
COMPONENT_INDEX: dict[str, int] = {name: i for i, name in enumerate(COMPONENTS)}
N_COMPONENTS = len(COMPONENTS)

CAUSES: tuple[str, ...] = ("cyber_attack", "insider", "misdelivery", "loss_theft", "mismanagement")
"""Breach causes, in code order (cause code = index)."""

CAUSE_INDEX: dict[str, int] = {name: i for i, name in enumerate(CAUSES)}
UNSPECIFIED_CAUSE = len(CAUSES)
"""Code of an event whose cause was not given: it passes only sections without a cause filter."""

INCIDENTS: tuple[str, ...] = ("leak", "corporate_leak", "cyber_no_leak", "it_work", "cyber_minor")
"""Kinds of incident, in code order (incident code = index): a leak of personal information (or
its threat), a leak of corporate (non-personal) information only, a cyber attack that leaks
nothing (ransomware scale), an incident in IT work done for others (JCCI ③), and a minor cyber
incident (an infection or intrusion handled in days, as SMEs report them to IPA's surveys)."""

INCIDENT_INDEX: dict[str, int] = {name: i for i, name in enumerate(INCIDENTS)}
DEFAULT_INCIDENT = "leak"

VICTIM_KIND: dict[str, str] = {"consolation": "individual", "consolation_corporate": "corporate"}
"""Components paid to one kind of victim: a per-victim cap on them counts only that kind.
A cap on any other component counts individuals and companies together."""

CORPORATE_COUNTERPART: dict[str, str] = {"consolation": "consolation_corporate"}
"""A cap declared on the key also caps the value (per corporate victim) in the same section."""
