/**
 * Crowd-BT (Chen, Bennett, Collins-Thompson, Horvitz: "Pairwise ranking aggregation in a crowdsourced setting",
 * WSDM 2013), as Gavel uses it for hackathon judging: each submission has a Gaussian belief about its quality
 * (mu, sigma²); each judge has a Beta belief (alpha, beta) about how often they agree with the truth, so a judge
 * who contradicts the consensus counts for less. After every comparison both beliefs are updated by moment
 * matching; the next pair is the one with the largest expected information gain (KL divergence), with an
 * epsilon-greedy share of random picks so every submission keeps being seen. Written from the paper's equations.
 */
export const GAMMA = 0.1; // weight of what is learnt about the judge against what is learnt about the items
export const KAPPA = 1e-4; // keeps variances positive
export const MU_PRIOR = 0;
export const SIGMA_SQ_PRIOR = 1;
export const ALPHA_PRIOR = 10;
export const BETA_PRIOR = 1;
export const EPSILON = 0.25;

export interface Belief {
  mu: number;
  sigmaSq: number;
}
export interface Reliability {
  alpha: number;
  beta: number;
}

/** Probability-like terms of the judge update; c is the predicted chance the judge prefers `winner`. */
function judgeUpdate(j: Reliability, w: Belief, l: Belief): Reliability & { c: number } {
  const ew = Math.exp(w.mu);
  const el = Math.exp(l.mu);
  const c1 = ew / (ew + el) + (0.5 * (w.sigmaSq + l.sigmaSq) * (ew * el * (el - ew))) / (ew + el) ** 3;
  const c2 = 1 - c1;
  const { alpha: a, beta: b } = j;
  const c = (c1 * a + c2 * b) / (a + b);
  const expt = (c1 * (a + 1) * a + c2 * a * b) / (c * (a + b + 1) * (a + b));
  const exptSq = (c1 * (a + 2) * (a + 1) * a + c2 * (a + 1) * a * b) / (c * (a + b + 2) * (a + b + 1) * (a + b));
  const variance = exptSq - expt ** 2;
  return { alpha: ((expt - exptSq) * expt) / variance, beta: ((expt - exptSq) * (1 - expt)) / variance, c };
}

function itemUpdate(j: Reliability, w: Belief, l: Belief): [Belief, Belief] {
  const ew = Math.exp(w.mu);
  const el = Math.exp(l.mu);
  const { alpha: a, beta: b } = j;
  const muStep = (a * ew) / (a * ew + b * el) - ew / (ew + el);
  const sigmaStep = (a * ew * b * el) / (a * ew + b * el) ** 2 - (ew * el) / (ew + el) ** 2;
  return [
    { mu: w.mu + w.sigmaSq * muStep, sigmaSq: w.sigmaSq * Math.max(1 + w.sigmaSq * sigmaStep, KAPPA) },
    { mu: l.mu - l.sigmaSq * muStep, sigmaSq: l.sigmaSq * Math.max(1 + l.sigmaSq * sigmaStep, KAPPA) },
  ];
}

/** The beliefs after `judge` preferred `winner` over `loser`. */
export function update(judge: Reliability, winner: Belief, loser: Belief): { judge: Reliability; winner: Belief; loser: Belief } {
  const { alpha, beta } = judgeUpdate(judge, winner, loser);
  const [w, l] = itemUpdate(judge, winner, loser);
  return { judge: { alpha, beta }, winner: w, loser: l };
}

/** Expected information gain of showing the pair (a, b) to the judge. */
export function expectedInformationGain(judge: Reliability, a: Belief, b: Belief): number {
  const aWins = judgeUpdate(judge, a, b);
  const [a1, b1] = itemUpdate(judge, a, b);
  const bWins = judgeUpdate(judge, b, a);
  const [b2, a2] = itemUpdate(judge, b, a);
  const p = aWins.c;
  return (
    p * (klGaussian(a1, a) + klGaussian(b1, b) + GAMMA * klBeta(aWins, judge)) +
    (1 - p) * (klGaussian(a2, a) + klGaussian(b2, b) + GAMMA * klBeta(bWins, judge))
  );
}

export function klGaussian(p: Belief, q: Belief): number {
  const ratio = p.sigmaSq / q.sigmaSq;
  return (p.mu - q.mu) ** 2 / (2 * q.sigmaSq) + (ratio - 1 - Math.log(ratio)) / 2;
}

export function klBeta(p: Reliability, q: Reliability): number {
  return (
    logBeta(q.alpha, q.beta) -
    logBeta(p.alpha, p.beta) +
    (p.alpha - q.alpha) * digamma(p.alpha) +
    (p.beta - q.beta) * digamma(p.beta) +
    (q.alpha - p.alpha + q.beta - p.beta) * digamma(p.alpha + p.beta)
  );
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
  9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

export function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/** ψ(x) for x > 0: shift x above 6 with ψ(x) = ψ(x+1) − 1/x, then the asymptotic series. */
export function digamma(x: number): number {
  let result = 0;
  while (x < 6) {
    result -= 1 / x;
    x += 1;
  }
  const f = 1 / (x * x);
  return result + Math.log(x) - 0.5 / x - f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f / 132))));
}
