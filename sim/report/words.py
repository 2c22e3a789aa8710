"""The report's sentences and headings, one table per language (labels of single figures are in
:data:`sim._text.LABELS`), and model-parameter names written for a reader."""
from __future__ import annotations

from ..components import COMPONENT_INFO

TEXT = {
    "ja": {
        "summary": "結論", "comparison": "補償プランの比較", "annual": "年間の損失 (保険期間1年)",
        "per_breach": "事故1件あたりの損失 (事故が1件起きた場合)",
        "breakdown": "損失の内訳と支払者", "sensitivity": "感応度 (どの前提が結果を動かすか)",
        "appendix": "付録", "premiums": "A. 技術的保険料", "method": "B. 計算方法",
        "parameters": "C. モデルのパラメータ",
        "meta": "シナリオ: {source} / {n_years:,}年をシミュレーション (乱数シード {seed})、"
                "全プランに同じ年を適用 / breach-sim {version}, {date}",
        "recommend": "推奨: {option} (年間保険料 {premium}{kind})。{tail}は {value} "
                     "[95%信頼区間 {lo} ～ {hi}]。",
        "quoted": "", "technical": "、技術的保険料",
        "technical_one": "、事故1件を前提とした技術的保険料",
        "rule_tol": "選び方: 効率的フロンティア上 (より安く、かつより多くを守るプランが他にない) の"
                    "プランのうち、{tail}が許容額 {tol} 以下となる最も安いもの。許容額は{why}。",
        "rule_none_ok": "許容額 {tol} 以下となるプランはありません。{tail}が最も小さい {option} を"
                        "示します。",
        "rule_coc": "選び方: 許容額の指定がないため、効率的フロンティア上で 保険料 + {coc:.0%} × "
                    "保有損失 TVaR 99% (保有する損失に備える資本のコスト) が最小のもの。",
        "tol_given": "指定された値", "tol_revenue": "売上高 {revenue} の 5% (モデリング上の選択)",
        "tail_breach": "事故1件あたりの保有損失 (100年に1度)",
        "tail_year": "年間の保有損失 (100年に1度)",
        "assumption": "モデルの主な前提: {text}",
        "freq_calibrated": "事故の発生率は年 {rate} (90%区間 {lo} ～ {hi})。業種「{industry}」、"
                           "売上高 {revenue} から公表統計で推計 (出典: {source} ほか {more} 件)",
        "freq_one": "1件の漏えい事故が起きたことを前提にした条件付きの見方 (毎年必ず1件)",
        "freq_poisson": "事故件数はポアソン分布、年平均 {rate} 件 (シナリオで指定)",
        "freq_nb": "事故件数は負の二項分布、年平均 {rate} 件、変動係数 {cv} (シナリオで指定)",
        "error": "数値は {n_years:,}年のシミュレーションによる推定値で、[ ] は95%信頼区間 "
                 "(シミュレーション誤差) です。",
        "rare": "事故は {share} の年にしか起きないため、年間の100年に1度の保有損失は多くのプランで"
                "0円になります。「事故が起きたら何が残るか」は事故1件あたりの欄をご覧ください。",
        "gap": "{option}: 技術的保険料 {tech} は提示保険料 {quote} の {ratio:.1f}倍です。{why}",
        "gap_loss": "このモデルの期待支払額 {paid} だけで提示保険料の {share:.0%} にあたり、"
                    "差の主因はモデルの事故発生率・損害額が保険会社の料率の前提 (多数の契約の"
                    "実績) より高いことです。",
        "gap_load": "期待支払額 {paid} は提示保険料より小さく、差の主因はリスク負荷 "
                    "(資本コスト) と経費率 {expense:.0%} (いずれもモデリング上の選択) です。",
        "gap_low": "技術的保険料が提示保険料を下回っています: モデルの期待支払額 {paid} は提示"
                   "保険料より小さく、保険会社はこのモデルより高い損失を見込んでいる可能性があります。",
        "cmp_note": "点: 各プラン (線で結んでいません: 別々の選択肢です)。塗りつぶし: 効率的 "
                    "(より安く、かつより多くを守るプランが他にない)。縦線: 95%信頼区間。★: 推奨。",
        "cmp_caption": "補償プラン: 保険料と保有損失 ({tail})",
        "ep_caption": "超過確率曲線 (年間): 再現期間ごとの損失額。帯は95%信頼区間。曲線は "
                      "{limit:,}年 (シミュレーション年数の1/10) で止めています",
        "dist_caption": "{what}の分布 (損失が生じた場合に限る)",
        "breach_note": "事故1件を {n:,}回シミュレーション (発生頻度を「1件」に置き換えたシナリオ)。",
        "breach_caption": "事故1件あたりの保有損失の分布 ({policy})",
        "components_caption": "損害項目別の期待損失 (年あたり; シミュレーションした{years:,}年の平均)",
        "sections_caption": "期待損失 (年あたり): 補償項目ごとの支払と保有",
        "limits": "限度額に達する頻度 (年の割合):", "no_limit": "限度額に達した年はありません。",
        "tornado": "{policy}: {measure} {statistic}。事故がまれな場合 (保有損失が生じる年が1%未満) は"
                   "事故1件あたりで計算。各パラメータを {change:.0%} 下げた/上げた場合"
                   " (他は基準値、確率は1以下)。1回 {n_years:,}年、乱数シード {seed}、共通乱数。"
                   "基準 {base}。",
        "noise": "灰色の帯と「(誤差内)」: 変動がシミュレーション誤差の範囲内 (基準値の95%信頼区間の"
                 "半幅 {noise}; {how})。",
        "noise_table": "感応度表の判定による",
        "noise_ci": "基準の実行から計算",
        "tornado_caption": "結果を最も動かす {n} 個のパラメータ",
        "premium_note": "技術的保険料 = 期待支払額 + リスク負荷、経費率 {expense:.0%} で割り戻し "
                        "(モデリング上の選択): 標準偏差法 k = {k}、資本コスト法 資本コスト率 "
                        "{coc:.0%} × (TVaR {q:.0%} − 平均)、Wang変換 λ = {lam}。",
        "method_items": [
            "共通乱数: すべてのプランに同じシミュレーション年を適用するため、プラン間の差は"
            "補償の差であり、別々のシミュレーションの誤差ではありません。",
            "信頼区間: 平均は正規近似、100年に1度などの分位点は順序統計量による区間 "
            "(分布の形によらず有効)、TVaRはブロック平均。",
            "超過確率曲線は シミュレーション年数の1/10 の再現期間で止めます "
            "(それより先は超える年が10年未満しかなく、数点の値になるため)。",
            "感応度の「誤差内」: 下限・上限どちらの結果も基準値の95%信頼区間の半幅以内にあるもの。"
            "共通乱数のため、抽出した値を拡大・縮小するだけのパラメータの変動はこれより誤差が"
            "小さく、この判定は控えめ (誤差内と判定しやすい) です。",
            "{freq}",
        ],
        "param_note": "各既定値の出典: sim/data と docs/model.md。0 のパラメータは省略。",
        "sources": "発生率の出典", "choices": "データで決まらず選んだこと (モデリング上の選択)",
        "recommended_col": "推奨", "frontier_col": "効率的", "premium_kind_q": "提示保険料",
        "premium_kind_t": "技術的保険料 (資本コスト法)", "tail_breach_col": "1事故の保有 100年に1度",
        "annual_rows": "{policy}: {measure}", "all_policies": "損害総額 (全プラン共通)",
        "mean_breach": "平均 (1件)",
        "reference": "公表例 {amount} ({source}) は、シミュレーションした損害総額の {point} 点にあたります。",
        "mark_yes": "○", "mark_star": "★",
    },
    "en": {
        "summary": "Summary", "comparison": "Coverage options compared",
        "annual": "Loss per policy year", "per_breach": "Loss per breach (given one breach)",
        "breakdown": "Where the loss comes from and who pays it",
        "sensitivity": "Sensitivity (which assumptions move the result)",
        "appendix": "Appendix", "premiums": "A. Technical premium", "method": "B. Method",
        "parameters": "C. Model parameters",
        "meta": "Scenario: {source} / {n_years:,} simulated years (seed {seed}), the same years "
                "for every option / breach-sim {version}, {date}",
        "recommend": "Recommended: {option} (premium {premium} a year{kind}). {tail}: {value} "
                     "[95% confidence interval {lo} to {hi}].",
        "quoted": "", "technical": ", technical premium",
        "technical_one": ", technical premium given one breach",
        "rule_tol": "Rule: among the options on the efficient frontier (no other option is both "
                    "cheaper and keeps less), the cheapest whose {tail} is at most the tolerance "
                    "{tol}; the tolerance is {why}.",
        "rule_none_ok": "No option keeps the {tail} under the tolerance {tol}; shown: {option}, "
                        "the one that keeps least.",
        "rule_coc": "Rule: no tolerance given, so the option on the efficient frontier with the "
                    "lowest premium + {coc:.0%} x retained TVaR 99% (the cost of capital held "
                    "against what is kept).",
        "tol_given": "the one given", "tol_revenue": "5% of revenue {revenue} (a modelling choice)",
        "tail_breach": "retained loss per breach (1-in-100)",
        "tail_year": "retained loss per year (1-in-100)",
        "assumption": "Main assumption of the model: {text}",
        "freq_calibrated": "breaches happen at {rate} a year (90% interval {lo} to {hi}), "
                           "estimated from published statistics for the industry '{industry}' "
                           "and revenue {revenue} (source: {source} and {more} more)",
        "freq_one": "conditional on one breach: every simulated year has exactly one breach",
        "freq_poisson": "the number of breaches is Poisson with {rate} a year (given in the "
                        "scenario)",
        "freq_nb": "the number of breaches is negative binomial with {rate} a year and "
                   "coefficient of variation {cv} (given in the scenario)",
        "error": "Figures are estimates from {n_years:,} simulated years; [ ] is the 95% "
                 "confidence interval (simulation error).",
        "rare": "A breach happens in only {share} of years, so the annual 1-in-100 retained loss is "
                "zero for most options; for what is kept if a breach happens, see the per-breach "
                "column.",
        "gap": "{option}: the technical premium {tech} is {ratio:.1f} times the quoted premium "
               "{quote}. {why}",
        "gap_loss": "This model's expected paid loss {paid} alone is {share:.0%} of the quote: the "
                    "model's breach rate and loss sizes are higher than what the insurer's rate "
                    "assumes (its experience over many policies).",
        "gap_load": "The expected paid loss {paid} is below the quote; the difference is the risk "
                    "loading (cost of capital) and the {expense:.0%} expense ratio, both "
                    "modelling choices.",
        "gap_low": "The technical premium is below the quote: the model's expected paid loss "
                   "{paid} is smaller, so the insurer may expect more loss than this model.",
        "cmp_note": "Points: the options (not joined: they are alternatives, not a path). Filled: "
                    "efficient (no other option is both cheaper and keeps less). Bars: 95% "
                    "confidence intervals. Star: recommended.",
        "cmp_caption": "Coverage options: premium and retained loss ({tail})",
        "ep_caption": "Exceedance curve (per year): loss by return period. Bands: 95% confidence "
                      "intervals. Curves stop at {limit:,} years (a tenth of the simulated years)",
        "dist_caption": "Distribution of the {what} (years with a loss only)",
        "breach_note": "One breach simulated {n:,} times (the scenario with its frequency "
                       "replaced by exactly one).",
        "breach_caption": "Retained loss per breach ({policy})",
        "components_caption": "Expected loss a year by loss item (mean of the {years:,} "
                              "simulated years)",
        "sections_caption": "Expected loss a year: paid by each section, and retained",
        "limits": "How often each limit is reached (share of years):",
        "no_limit": "No limit was reached.",
        "tornado": "{policy}: {measure} {statistic} (per breach where fewer than 1% of years "
                   "keep a loss), each parameter {change:.0%} down and up "
                   "(probabilities at most 1), the others at base; {n_years:,} years a run, seed "
                   "{seed}, common random numbers. Base {base}.",
        "noise": "Grey band and '(noise)': swings within simulation noise (half-width of the "
                 "base's 95% confidence interval, {noise}; {how}).",
        "noise_table": "flagged by the sensitivity table",
        "noise_ci": "computed from the base run",
        "tornado_caption": "The {n} parameters that move it most",
        "premium_note": "Technical premium = expected paid loss + a risk loading, grossed up for "
                        "a {expense:.0%} expense ratio (modelling choices): std.-dev. k = {k}, "
                        "cost of capital {coc:.0%} x (TVaR {q:.0%} - mean), Wang lambda {lam}.",
        "method_items": [
            "Common random numbers: every option is applied to the same simulated years, so "
            "differences between options are differences between covers, not noise.",
            "Confidence intervals: means by the normal approximation, 1-in-N losses by "
            "order-statistic bounds (valid for any distribution), TVaR by batch means.",
            "Exceedance curves stop at a tenth of the simulated years: beyond it fewer than ten "
            "simulated years exceed the loss.",
            "Sensitivity 'within noise': both the low and the high result lie within the "
            "half-width of the base's 95% confidence interval. With common random numbers a "
            "parameter that only scales drawn values moves the result with less noise than "
            "that, so the flag errs towards 'within noise'.",
            "{freq}",
        ],
        "param_note": "Where each default comes from: sim/data and docs/model.md. Parameters at "
                      "0 are left out.",
        "sources": "Sources of the breach rate",
        "choices": "Choices the data could not decide (modelling choices)",
        "recommended_col": "Recommended", "frontier_col": "Efficient",
        "premium_kind_q": "Quoted premium", "premium_kind_t": "Technical premium (cost of capital)",
        "tail_breach_col": "Kept per breach 1-in-100",
        "annual_rows": "{policy}: {measure}", "all_policies": "Total loss (every option)",
        "mean_breach": "Mean (breach)",
        "reference": "The published example {amount} ({source}) sits at the {point} point of the "
                     "simulated total loss.",
        "mark_yes": "yes", "mark_star": "★",
    },
}

_TOKENS_JA = {
    "frequency": "頻度", "rate": "年間発生率", "records_held": "保有件数", "size": "漏えい件数",
    "size_by_cause": "原因別の漏えい件数", "median": "中央値", "sigma": "ばらつき σ",
    "threshold": "閾値", "alpha": "裾の指数 α", "whole_records": "全件流出の確率",
    "reporting": "公表", "theft_share": "盗難の割合", "probability": "発生確率",
    "claimants": "請求者", "p_max": "最大割合", "n50": "半数となる件数", "steepness": "傾き",
    "share": "割合", "award": "賠償額", "claimed": "請求額", "litigation": "争訟費用",
    "factor": "係数", "court_days": "出頭日数", "officer": "役員", "employee": "従業員",
    "costs": "費用", "fixed": "固定額", "per_record": "1件あたり", "rate_mean": "平均率",
    "rate_cv": "変動係数", "value": "値", "direct": "直接指定", "cyber_attack": "サイバー攻撃",
    "insider": "内部不正", "misdelivery": "誤送付", "loss_theft": "紛失・盗難",
    "mismanagement": "管理ミス", "mean": "平均", "cv": "変動係数", "suits": "訴訟",
    "per_victim": "1名あたり", "scale": "尺度", "shape": "形状", "min": "最小", "max": "最大",
    "p_min": "最小割合", "corporate": "法人", "incident_mix": "事故の種類の構成",
    "alt_fixed": "別の場合の固定額", "alt_per_record": "別の場合の1件あたり",
    "alt_probability": "別の場合の確率", "per_claimant_sigma": "請求者ごとのばらつき σ",
    "ratio": "比率",
}
INDUSTRY_JA = {"manufacturing": "製造業", "wholesale_retail": "卸売・小売業",
               "medical_welfare": "医療・福祉", "information_communications": "情報通信業",
               "finance_insurance": "金融・保険業", "services": "サービス業",
               "accommodation_food": "宿泊・飲食サービス業", "other": "その他"}


def parameter_label(name: str, lang: str) -> str:
    """``claimants.award.median`` -> ``請求者 / 賠償額 / 中央値`` or ``claimants / award / median``."""
    parts = []
    for token in name.split("."):
        if token in COMPONENT_INFO:
            parts.append(COMPONENT_INFO[token].label_ja if lang == "ja" else token.replace("_", " "))
        elif lang == "ja":
            parts.append(_TOKENS_JA.get(token, token))
        else:
            parts.append(token.replace("_", " "))
    return " / ".join(parts)
