"""Confidence intervals and significance tests as pure functions (numpy and the standard library).

SciPy is not a dependency, so the distributions are implemented here:

* the normal distribution comes from :class:`statistics.NormalDist`;
* the Student t distribution function uses the regularised incomplete beta
  function (continued fraction, Numerical Recipes ``betacf``);
* the Student t quantile uses the exact closed forms for 1 and 2 degrees of
  freedom and the Cornish-Fisher expansion (Abramowitz & Stegun 26.7.5) above
  that (within 0.004 at 3 degrees of freedom), polished by Newton steps on the
  exact distribution function below 30 degrees of freedom.

Mean intervals use t with ``n - 1`` degrees of freedom at every sample size
(t tends to z as n grows, so nothing is lost for large samples and small ones
get honest, wider intervals).

The interval functions accept scalars or numpy arrays (one element per group)
and return numpy values; empty groups (n = 0) give NaN instead of an error.
Shares are proportions (0..1) in and out; NPS is on -100..+100.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
from numpy.typing import ArrayLike, NDArray

DEFAULT_CONFIDENCE = 0.95
_STANDARD_NORMAL = NormalDist()

FloatArray = NDArray[np.float64]


# -- distributions --------------------------------------------------------------------------
def normal_cdf(x: float) -> float:
    """P(Z <= x) for a standard normal Z."""
    return _STANDARD_NORMAL.cdf(x)


def normal_quantile(p: float) -> float:
    """The x with P(Z <= x) = p for a standard normal Z."""
    return _STANDARD_NORMAL.inv_cdf(p)


def z_for(confidence: float = DEFAULT_CONFIDENCE) -> float:
    """The two-sided critical value: 1.96 for 95 %."""
    return normal_quantile(0.5 + confidence / 2.0)


def two_sided_p(z: float) -> float:
    """Two-sided p-value of a standard normal test statistic."""
    if math.isnan(z):
        return math.nan
    return 2.0 * (1.0 - normal_cdf(abs(z)))


def t_quantile(p: float | ArrayLike, df: float | ArrayLike) -> FloatArray:
    """Quantile of Student's t with ``df`` degrees of freedom (vectorised; NaN where df < 1)."""
    p_arr = np.asarray(p, dtype=float)
    nu = np.asarray(df, dtype=float)
    x = np.vectorize(normal_quantile, otypes=[float])(np.clip(p_arr, 1e-300, 1 - 1e-16))
    g1 = (x**3 + x) / 4.0
    g2 = (5 * x**5 + 16 * x**3 + 3 * x) / 96.0
    g3 = (3 * x**7 + 19 * x**5 + 17 * x**3 - 15 * x) / 384.0
    g4 = (79 * x**9 + 776 * x**7 + 1482 * x**5 - 1920 * x**3 - 945 * x) / 92160.0
    with np.errstate(divide="ignore", invalid="ignore"):
        approx = x + g1 / nu + g2 / nu**2 + g3 / nu**3 + g4 / nu**4
        one = np.tan(np.pi * (p_arr - 0.5))
        two = (2 * p_arr - 1) / np.sqrt(2 * p_arr * (1 - p_arr))
    out = np.where(nu == 1, one, np.where(nu == 2, two, approx))
    small = (nu > 2) & (nu < 30)
    if np.any(small):
        polished = np.vectorize(_polish_t_quantile, otypes=[float])(out, p_arr, nu)
        out = np.where(small, polished, out)
    return np.where(np.isnan(nu) | (nu < 1), np.nan, out)


def t_pdf(t: float, df: float) -> float:
    """Density of Student's t with ``df`` degrees of freedom."""
    log_c = math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)
    return math.exp(log_c - (df + 1) / 2 * math.log1p(t * t / df))


def _polish_t_quantile(t0: float, p: float, df: float) -> float:
    """Newton steps on the exact t distribution function from a close first guess."""
    if not (math.isfinite(t0) and 2 < df < 30):
        return t0
    t = t0
    for _ in range(3):
        t -= (t_cdf(t, df) - p) / t_pdf(t, df)
    return t


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c if abs(1.0 + aa / c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c if abs(1.0 + aa / c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-14:
            break
    return h


def regularized_beta(x: float, a: float, b: float) -> float:
    """I_x(a, b), the regularised incomplete beta function."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    front = math.exp(log_front)
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def t_cdf(t: float, df: float) -> float:
    """P(T <= t) for Student's t with ``df`` degrees of freedom."""
    if math.isnan(t) or math.isnan(df) or df <= 0:
        return math.nan
    if math.isinf(t):
        return 1.0 if t > 0 else 0.0
    tail = 0.5 * regularized_beta(df / (df + t * t), df / 2.0, 0.5)
    return 1.0 - tail if t > 0 else tail


# -- intervals ------------------------------------------------------------------------------
def wilson_interval(
    successes: ArrayLike, n: ArrayLike, confidence: float = DEFAULT_CONFIDENCE
) -> tuple[FloatArray, FloatArray]:
    """Wilson score interval for a proportion, as proportions (0..1)."""
    x = np.asarray(successes, dtype=float)
    m = np.asarray(n, dtype=float)
    z = z_for(confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = x / m
        denom = 1.0 + z * z / m
        centre = (p + z * z / (2 * m)) / denom
        half = z * np.sqrt(p * (1 - p) / m + z * z / (4 * m * m)) / denom
        low, high = centre - half, centre + half
    valid = m > 0
    return np.where(valid, np.clip(low, 0, 1), np.nan), np.where(valid, np.clip(high, 0, 1), np.nan)


def nps_variance(promoter_share: ArrayLike, detractor_share: ArrayLike) -> FloatArray:
    """Per-answer variance of NPS on the -100..+100 scale: 100² · [p + d − (p − d)²]."""
    p = np.asarray(promoter_share, dtype=float)
    d = np.asarray(detractor_share, dtype=float)
    return 100.0**2 * (p + d - (p - d) ** 2)


def nps_interval(
    promoters: ArrayLike,
    detractors: ArrayLike,
    n: ArrayLike,
    confidence: float = DEFAULT_CONFIDENCE,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """NPS with its margin of error: ``(nps, low, high, margin)``; the interval is kept in ±100."""
    m = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.asarray(promoters, dtype=float) / m
        d = np.asarray(detractors, dtype=float) / m
        nps = 100.0 * (p - d)
        margin = z_for(confidence) * np.sqrt(nps_variance(p, d) / m)
    valid = m > 0
    nps = np.where(valid, nps, np.nan)
    margin = np.where(valid, margin, np.nan)
    return nps, np.clip(nps - margin, -100, 100), np.clip(nps + margin, -100, 100), margin


def mean_interval(
    mean: ArrayLike, sd: ArrayLike, n: ArrayLike, confidence: float = DEFAULT_CONFIDENCE
) -> tuple[FloatArray, FloatArray]:
    """t interval for a mean: mean ± t(n − 1) · sd / √n (NaN when n < 2)."""
    mu = np.asarray(mean, dtype=float)
    s = np.asarray(sd, dtype=float)
    m = np.asarray(n, dtype=float)
    df = np.where(m >= 2, m - 1, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        half = t_quantile(0.5 + confidence / 2.0, df) * s / np.sqrt(m)
    return mu - half, mu + half


# -- tests ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class TestResult:
    """Outcome of comparing period A with period B; ``difference`` is B − A."""

    test: str
    difference: float
    statistic: float
    p_value: float
    se: float
    df: float | None = None

    def significant(self, alpha: float = 0.05) -> bool:
        return not math.isnan(self.p_value) and self.p_value < alpha


def _z_result(test: str, difference: float, se: float) -> TestResult:
    if math.isnan(difference) or math.isnan(se):
        return TestResult(test, difference, math.nan, math.nan, se)
    if se == 0.0:
        z = 0.0 if difference == 0.0 else math.copysign(math.inf, difference)
    else:
        z = difference / se
    return TestResult(test, difference, z, two_sided_p(z), se)


def two_proportion_ztest(x_a: int, n_a: int, x_b: int, n_b: int) -> TestResult:
    """Pooled two-proportion z-test; the difference is p_B − p_A as a proportion."""
    if n_a <= 0 or n_b <= 0:
        return TestResult("two-proportion z-test", math.nan, math.nan, math.nan, math.nan)
    p_a, p_b = x_a / n_a, x_b / n_b
    pooled = (x_a + x_b) / (n_a + n_b)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    return _z_result("two-proportion z-test", p_b - p_a, se)


def nps_difference_test(
    promoters_a: int, detractors_a: int, n_a: int, promoters_b: int, detractors_b: int, n_b: int
) -> TestResult:
    """z-test of NPS_B − NPS_A for independent samples, with domain.md's NPS variance."""
    name = "NPS difference z-test"
    if n_a <= 0 or n_b <= 0:
        return TestResult(name, math.nan, math.nan, math.nan, math.nan)
    p_a, d_a = promoters_a / n_a, detractors_a / n_a
    p_b, d_b = promoters_b / n_b, detractors_b / n_b
    var = float(nps_variance(p_a, d_a)) / n_a + float(nps_variance(p_b, d_b)) / n_b
    return _z_result(name, 100.0 * ((p_b - d_b) - (p_a - d_a)), math.sqrt(var))


def welch_test(
    mean_a: float, sd_a: float, n_a: int, mean_b: float, sd_b: float, n_b: int
) -> TestResult:
    """Welch's t-test of mean_B − mean_A (unequal variances, Welch-Satterthwaite df)."""
    name = "Welch t-test"
    if n_a < 2 or n_b < 2:
        return TestResult(name, mean_b - mean_a, math.nan, math.nan, math.nan)
    va, vb = sd_a * sd_a / n_a, sd_b * sd_b / n_b
    se = math.sqrt(va + vb)
    diff = mean_b - mean_a
    if se == 0.0:
        result = _z_result(name, diff, se)
        return TestResult(name, diff, result.statistic, result.p_value, se, math.nan)
    df = (va + vb) ** 2 / (va * va / (n_a - 1) + vb * vb / (n_b - 1))
    t = diff / se
    p = 2.0 * (1.0 - t_cdf(abs(t), df))
    return TestResult(name, diff, t, p, se, df)
