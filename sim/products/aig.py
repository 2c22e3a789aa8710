"""AIG 個人情報漏洩保険 (業務過誤賠償責任保険 + 特約, 2017.10 edition), base plan and options.

Source: the AIG brochure 「個人情報漏洩保険」 2017.10版 (``docs/products.md``). Every limit is per claim and per policy
period, and every section's payment also counts against the main limit (支払限度額).
"""
from __future__ import annotations

from .._errors import InputError, check_amount, check_bool, check_choice, check_fraction
from ..policy import Cap, Policy, Section, Share, SharedLimit

LIABILITY = ("damages", "litigation")
EXECUTION = ("legal_consultation", "investigation", "staff_overtime", "call_center", "letters",
             "consolation", "consolation_corporate", "consolation_shipping", "newspaper_notice",
             "press_conference")
CONSOLATION_CAP = Cap(per_victim=500)            # 1被害者につき500円, individuals and companies alike
# The personal-information sections (個人情報漏洩特約, consulting, execution) pay for a leak of
# personal information only: not for corporate information alone (「この特約では、危機管理
# コンサルティング費用特約および危機管理実行費用特約の適用はありません」; main exclusion ⑥),
# nor an attack that leaks nothing, nor IT work.
PERSONAL = ("leak",)
CONSULTING_LIMIT = 5e6                           # 500万, doubled: 1,000万
EXECUTION_LIMIT = Share("main", 0.10, at_most=5e7)   # min(5,000万, 10% of main)
EXECUTION_DOUBLE = Share("main", 0.20, at_most=1e8)  # min(1億, 20% of main)
EXECUTION_COINSURANCE = 0.10
CONSOLATION_DAMAGES_LIMIT = Share("main", 0.20, at_most=1e8)
CYBER_RESPONSE_PAYS = 0.90                       # cost x 90%
CYBER_RESPONSE_AGGREGATE = 3e6                   # 300万 per period
RIDER_LIMITS = (1e7, 3e7)                        # corporate-info and IP riders: 1,000万 or 3,000万


def aig(limit: float, *, execution: bool = True, consulting_double: bool = False,
        execution_double: bool = False, coinsurance_waiver: bool = False,
        cyber_response: bool = False, card_fraud: bool = False,
        corporate_info: float | str | None = None, ip: float | None = None,
        deductible: float = 0.0, coinsurance: float = 0.0, name: str | None = None) -> Policy:
    """The AIG personal-information leak policy.

    Parameters
    ----------
    limit : float
        Main limit (支払限度額), per claim and per period; caps every section's payments together.
    execution : bool
        危機管理実行費用特約: response costs, only if the leak was ``reported``; 10% coinsurance;
        limit min(5,000万, 10% of ``limit``).
    consulting_double : bool
        Consulting limit 1,000万 instead of 500万.
    execution_double : bool
        Execution limit min(1億, 20% of ``limit``).
    coinsurance_waiver : bool
        Execution coinsurance 0% instead of 10%.
    cyber_response : bool
        サイバー攻撃対応費用特約: forensics for cyber attacks, 90% paid, 300万 per period.
    card_fraud : bool
        クレジットカード番号等不正使用賠償責任特約: card-fraud liability on the main terms.
    corporate_info : {1e7, 3e7, "main"} or None
        企業情報漏洩特約 and its limit, which covers ``corporate_info`` and its defence costs
        ``corporate_info_litigation``; no deductible or coinsurance.
    ip : {1e7, 3e7} or None
        特許等知的財産権特約 and its limit, covering ``ip_infringement`` and ``ip_litigation``;
        no deductible or coinsurance.
    deductible : float
        免責金額 per claim on liability (not on court attendance, consulting or execution).
    coinsurance : float
        自己負担割合 on liability.
    name : str, optional
        Defaults to e.g. ``"AIG 3億 +exec"``.

    Examples
    --------
    >>> p = aig(limit=5e7, execution=False)
    >>> out = p.apply({"damages": 1e8, "consulting": 5e6}, victims=100_000, reported=True)
    >>> out.paid  # the main limit caps liability and consulting together
    50000000.0
    """
    limit = check_amount("limit", limit, positive=True)
    flags = dict(execution=execution, consulting_double=consulting_double,
                 execution_double=execution_double, coinsurance_waiver=coinsurance_waiver,
                 cyber_response=cyber_response, card_fraud=card_fraud)
    for field, value in flags.items():
        check_bool(field, value)
    for field in ("execution_double", "coinsurance_waiver"):
        if flags[field] and not execution:
            raise InputError(field, "modifies the execution rider; it needs execution=True")
    if corporate_info is not None:
        check_choice("corporate_info", corporate_info, RIDER_LIMITS + ("main",))
    if ip is not None:
        check_choice("ip", ip, RIDER_LIMITS)
    check_amount("deductible", deductible)
    check_fraction("coinsurance", coinsurance)

    sections = [_liability(limit, deductible, coinsurance),
                Section("consulting", covers=["consulting"],
                        limit=2 * CONSULTING_LIMIT if consulting_double else CONSULTING_LIMIT,
                        aggregate=2 * CONSULTING_LIMIT if consulting_double else CONSULTING_LIMIT,
                        incidents=PERSONAL, label="危機管理コンサルティング費用")]
    if execution:
        sections.append(_execution(execution_double, coinsurance_waiver))
    if cyber_response:
        sections.append(Section("cyber_response", covers=["forensics"], causes=["cyber_attack"],
                                coinsurance=1 - CYBER_RESPONSE_PAYS,
                                aggregate=CYBER_RESPONSE_AGGREGATE, label="サイバー攻撃対応費用"))
    if card_fraud:
        sections.append(Section("card_fraud", covers=["card_fraud"], deductible=deductible,
                                coinsurance=coinsurance, limit=limit, aggregate=limit,
                                label="クレジットカード番号等不正使用賠償責任"))
    if corporate_info is not None:
        rider = limit if corporate_info == "main" else float(corporate_info)
        sections.append(Section("corporate_info", covers=["corporate_info", "corporate_info_litigation"],
                                limit=rider, aggregate=rider, label="企業情報漏洩"))
    if ip is not None:
        sections.append(Section("ip", covers=["ip_infringement", "ip_litigation"], limit=float(ip),
                                aggregate=float(ip), label="特許等知的財産権"))
    main = SharedLimit("main", [s.name for s in sections], limit=limit, aggregate=limit,
                       label="支払限度額(合算)")
    options = dict(limit=limit, **flags, corporate_info=corporate_info, ip=ip,
                   deductible=deductible, coinsurance=coinsurance)
    return Policy(name or _default_name(limit, execution, execution_double), sections, [main],
                  product="aig", options=options)


def _liability(limit: float, deductible: float, coinsurance: float) -> Section:
    """個人情報漏洩特約: damages and litigation after the deductible, then the coinsurance; court
    days free of the deductible. Damages arising from consolation money (a client's recourse
    claim, 求償) are a claim of their own: deductible -> coinsurance -> their sublimit."""
    consolation = Section("consolation_damages", covers=["consolation_damages"],
                          caps={"consolation_damages": CONSOLATION_CAP}, deductible=deductible,
                          coinsurance=coinsurance, limit=CONSOLATION_DAMAGES_LIMIT,
                          aggregate=CONSOLATION_DAMAGES_LIMIT, label="見舞金に起因する損害賠償金")
    claims = Section("claims", covers=LIABILITY, deductible=deductible, coinsurance=coinsurance,
                     label="損害賠償金・争訟費用")
    court = Section("court_attendance", covers=["court_attendance"], coinsurance=coinsurance,
                    label="裁判所出頭費用")
    return Section("liability", parts=[claims, consolation, court], limit=limit, aggregate=limit,
                   incidents=PERSONAL, label="個人情報漏洩(賠償)")


def _execution(double: bool, waiver: bool) -> Section:
    share = EXECUTION_DOUBLE if double else EXECUTION_LIMIT
    return Section("execution", covers=EXECUTION, caps={"consolation": CONSOLATION_CAP},
                   trigger="reported", coinsurance=0.0 if waiver else EXECUTION_COINSURANCE,
                   limit=share, aggregate=share, incidents=PERSONAL, label="危機管理実行費用")


def _default_name(limit: float, execution: bool, double: bool) -> str:
    from ..yen import format_yen

    amount = format_yen(limit).removesuffix("円")
    return f"AIG {amount}" + (" +exec" if execution else "") + (" x2" if double else "")
