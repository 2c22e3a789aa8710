"""JCCI group scheme 情報漏えい賠償責任保険〜サイバーリスク補償型 (専門事業者賠償責任保険 +
サイバープロテクター特約), Standard and Premium plans, coverage sets A-E.

Source: the JCCI brochure 「日本商工会議所 情報漏えい賠償責任保険～サイバーリスク補償型」
(``docs/products.md``): two independent limits, liability (賠償損害, per claim and per period)
and costs (費用損害, per accident and per period), no deductible; consolation money capped at 1,000 yen per individual and 50,000 yen per corporate
victim; the Premium plan adds bodily injury/property damage from a cyber attack, five extra cost
types and cyber-attack investigation costs.
"""
from __future__ import annotations

from typing import Literal

from .._errors import InputError, check_amount, check_bool, check_choice
from ..policy import Cap, Policy, Section

PLANS = ("standard", "premium")
COVERAGE_SETS = ("A", "B", "C", "D", "E")

# (liability limit, cost limit) per set, yen; E is the free set.
SET_LIMITS = {"A": (1e7, 1e6), "B": (5e7, 5e6), "C": (1e8, 1e7), "D": (3e8, 3e7)}

# 「情報漏えいに起因する賠償損害」 has no restriction: a client's claim for the consolation money
# it paid, and claims for leaked corporate information with their defence costs, are liability.
STANDARD_LIABILITY = ("damages", "litigation", "court_attendance", "card_fraud",
                      "corporate_info", "corporate_info_litigation", "business_interruption_others",
                      "consolation_damages")
# 事故対応費用 (incident response) is read as covering letters, notices, call centre, press,
# overtime and shipping of consolation gifts; the brochure does not itemise it further.
STANDARD_COSTS = ("consulting", "legal_consultation", "investigation", "letters", "call_center",
                  "newspaper_notice", "web_notice", "press_conference", "staff_overtime",
                  "pr_activity", "consolation", "consolation_corporate", "consolation_shipping")
PREMIUM_EXTRA_COSTS = ("credit_monitoring", "public_inquiry", "system_recovery",
                       "spread_prevention", "recurrence_prevention")
CONSOLATION_CAP = Cap(per_victim=1_000, per_corporate_victim=50_000)  # also on consolation_corporate
# ①② leaks (personal or corporate information) and others' business disrupted; a cyber attack
# that leaks nothing, ransomware-scale or minor, can still be ② or the threat (おそれ) of ①.
# ③ IT work only with IT業務特約.
INCIDENTS = ("leak", "corporate_leak", "cyber_no_leak", "cyber_minor")
NO_LEAK_ATTACKS = ("cyber_no_leak", "cyber_minor")
IT_WORK_INCIDENT = ("it_work",)

PLAN_LABELS = {"standard": "スタンダード", "premium": "プレミアム"}


def jcci(plan: Literal["standard", "premium"] = "standard", coverage_set: str = "C", *,
         liability_limit: float | None = None, cost_limit: float | None = None,
         it_work: bool = False, name: str | None = None) -> Policy:
    """The JCCI data-leak liability policy for one plan and coverage set.

    Parameters
    ----------
    plan : {"standard", "premium"}
    coverage_set : {"A", "B", "C", "D", "E"}
        A-D fix both limits (1,000万/100万, 5,000万/500万, 1億/1,000万, 3億/3,000万);
        E is the free set and needs ``liability_limit`` and ``cost_limit``.
    liability_limit, cost_limit : float, optional
        Only for set E: the liability and cost limits, per claim/accident and per period.
    it_work : bool
        IT業務特約: also cover others' business disrupted by the insured's IT work.
    name : str, optional
        Defaults to e.g. ``"JCCI standard C"``.

    Returns
    -------
    Policy
        Sections ``liability`` (賠償損害) and ``costs`` (費用損害).

    Examples
    --------
    >>> p = jcci("premium", "E", liability_limit=2e8, cost_limit=5e7)
    >>> p.apply({"damages": 3e8, "system_recovery": 6e7}).by_section
    {'liability': 200000000.0, 'costs': 50000000.0}
    """
    check_choice("plan", plan, PLANS)
    check_choice("coverage_set", coverage_set, COVERAGE_SETS)
    check_bool("it_work", it_work)
    liability, costs = _set_limits(coverage_set, liability_limit, cost_limit)
    premium = plan == "premium"
    options = {"plan": plan, "coverage_set": coverage_set, "liability_limit": liability,
               "cost_limit": costs, "it_work": it_work}
    return Policy(
        name or f"JCCI {plan} {coverage_set}" + (" +IT" if it_work else ""),
        [_liability_section(liability, premium, it_work), _cost_section(costs, premium, it_work)],
        product="jcci", options=options,
    )


def _set_limits(coverage_set: str, liability_limit: float | None,
                cost_limit: float | None) -> tuple[float, float]:
    if coverage_set != "E":
        for field, value in (("liability_limit", liability_limit), ("cost_limit", cost_limit)):
            if value is not None:
                raise InputError(field, f"only coverage_set='E' (the free set) takes {field}; "
                                 f"set {coverage_set} fixes it at {SET_LIMITS[coverage_set]}")
        return SET_LIMITS[coverage_set]
    for field, value in (("liability_limit", liability_limit), ("cost_limit", cost_limit)):
        if value is None:
            raise InputError(field, "coverage_set='E' (the free set) needs liability_limit and "
                             "cost_limit in yen")
    return (check_amount("liability_limit", liability_limit, positive=True),
            check_amount("cost_limit", cost_limit, positive=True))


def _liability_section(limit: float, premium: bool, it_work: bool) -> Section:
    covers = STANDARD_LIABILITY + (("it_work_interruption",) if it_work else ())
    parts = ()
    if premium:  # サイバー攻撃に起因する他人の身体障害・財物損壊
        parts = (Section("bodily_property", covers=["bodily_property"], causes=["cyber_attack"],
                         label="身体障害・財物損壊(サイバー攻撃)"),)
    return Section("liability", covers=covers, parts=parts, limit=limit, aggregate=limit,
                   incidents=INCIDENTS + (IT_WORK_INCIDENT if it_work else ()), label="賠償損害")


def _cost_section(limit: float, premium: bool, it_work: bool) -> Section:
    covers = STANDARD_COSTS + (PREMIUM_EXTRA_COSTS if premium else ())
    incidents = INCIDENTS + (IT_WORK_INCIDENT if it_work else ())
    # Forensics after a cyber-attack leak is 事故原因・被害範囲調査費用 (both plans); after an attack
    # that leaks nothing it is Premium's サイバー攻撃調査費用 (「①～④を除き、サイバー攻撃またはそのおそれ」).
    forensics_incidents = tuple(i for i in incidents if premium or i not in NO_LEAK_ATTACKS)
    forensics = Section("forensics", covers=["forensics"], causes=["cyber_attack"],
                        incidents=forensics_incidents,
                        label="サイバー攻撃調査費用" if premium else "事故原因・被害範囲調査費用(サイバー攻撃)")
    return Section("costs", covers=covers, parts=(forensics,), caps={"consolation": CONSOLATION_CAP},
                   limit=limit, aggregate=limit, incidents=incidents, label="費用損害")
