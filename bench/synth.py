"""Synthetic assessments for the scale benchmark: the real corpus rewritten for other cities, not random text.

Each synthetic document is one of the real assessments with another city's name, often another 事務, its
委託先 companies swapped for others, counts and dates perturbed and the rows of its 変更箇所 change log
reordered. Every sentence is still a sentence of a real assessment, so BM25 sees real Sudachi tokens.
Dense vectors at scale are derived from real e5 vectors (`derive_vectors`): embedding millions of passages
on two cores would take days.
"""
from __future__ import annotations

import itertools
import random
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# city names: two-character stems not used by the real corpus (1,600 combinations, more than Japan's 1,741
# municipalities minus the ones with other suffixes); "市" is added
_FIRST = "青若東西南北新大小高中上下本山川松桜緑白赤黒金銀石岩森林竹梅花春夏秋冬朝日月星海浜島岡"
_SECOND = "葉松山川田野原宮浜崎岡島沢津橋森谷瀬尾台江井坂城里丘村根浦津木平戸口部水見倉"
REAL_STEMS = ("倉敷", "郡山", "高知", "千葉", "金沢")
JIMU = ("国民年金に関する事務", "地方税等の徴収及び滞納整理事務", "住民票に関する事務", "児童手当に関する事務",
        "介護保険に関する事務", "国民健康保険に関する事務", "生活保護に関する事務", "障害者福祉に関する事務",
        "後期高齢者医療に関する事務", "予防接種に関する事務", "児童扶養手当に関する事務", "個人住民税に関する事務")
COMPANIES = ("株式会社日立システムズ", "日本電気株式会社", "株式会社TKC", "株式会社RKKCS", "株式会社電算",
             "株式会社両備システムズ", "株式会社ジーシーシー", "富士通Japan株式会社", "株式会社HBA",
             "株式会社京都電子計算", "株式会社アイネス", "株式会社エイチ・シー・シー", "NECフィールディング株式会社",
             "株式会社パソナ", "株式会社茨城計算センター", "株式会社オーシーシー")
_COMPANY = re.compile(r"(?:株式会社|有限会社)[^\s\t、。（）()<>「」]{1,20}|[^\s\t、。（）()<>「」]{1,20}株式会社")
_COUNT = re.compile(r"(\d{2,7})(人|件|名|世帯)")
_DATE = re.compile(r"令和(\d{1,2})年(\d{1,2})月(\d{1,2})日")
_LOG_ROW = re.compile(r"^\s*令和\d{1,2}年\d{1,2}月\d{1,2}日\t")
_SHIFT_JIMU = 0.5  # half the synthetic documents describe another 事務 than their template


def city_stems() -> list[str]:
    """Every synthetic city stem, in a fixed order."""
    return [a + b for a, b in itertools.product(_FIRST, _SECOND) if a + b not in REAL_STEMS]


@dataclass(frozen=True)
class Template:
    """A real assessment to rewrite: its file name, text, city stem and 事務."""

    name: str
    text: str
    stem: str
    jimu: str


def templates(corpus_dir: Path) -> list[Template]:
    """The real corpus as templates (city and 事務 from the parsed cover)."""
    from piaqa.config import Settings
    from piaqa.parse.ingest import scan_corpus

    load = scan_corpus(corpus_dir, Settings(corpus_dir=corpus_dir))
    out = []
    for doc in sorted(load.docs, key=lambda d: d.meta.doc):
        text = (corpus_dir / doc.meta.doc).read_text(encoding="utf-8")
        out.append(Template(doc.meta.doc, text, doc.meta.city.removesuffix("市"), doc.meta.jimu))
    return out


def rewrite(text: str, template: Template, stem: str, jimu: str, rng: random.Random) -> str:
    """The template's text for another city and 事務, with companies swapped and counts and dates moved."""
    text = text.replace(template.stem, stem).replace(template.jimu, jimu)
    companies: dict[str, str] = {}
    text = _COMPANY.sub(lambda m: companies.setdefault(m.group(0), rng.choice(COMPANIES)), text)
    text = _COUNT.sub(lambda m: f"{max(1, int(int(m.group(1)) * rng.uniform(0.3, 3.0)))}{m.group(2)}", text)
    return _DATE.sub(lambda m: f"令和{max(1, int(m.group(1)) + rng.randint(-1, 1))}年{rng.randint(1, 12)}月"
                               f"{rng.randint(1, 28)}日", text)


def reorder_log(text: str, rng: random.Random) -> str:
    """The change log's rows (tab rows that start with a date) shuffled within each run of rows."""
    lines = text.split("\n")
    out: list[str] = []
    for is_row, run in itertools.groupby(lines, key=lambda line: bool(_LOG_ROW.match(line))):
        block = list(run)
        if is_row:
            rng.shuffle(block)
        out.extend(block)
    return "\n".join(out)


def synth_document(template: Template, stem: str, rng: random.Random) -> str:
    """One synthetic assessment from a template, for city `stem`市."""
    jimu = rng.choice(JIMU) if rng.random() < _SHIFT_JIMU else template.jimu
    return reorder_log(rewrite(template.text, template, stem, jimu, rng), rng)


def write_corpus(out_dir: Path, real: list[Template], n_docs: int, seed: int = 0) -> list[Path]:
    """Write `n_docs` synthetic assessments (templates in turn, one city each) into `out_dir`."""
    stems = city_stems()
    if n_docs > len(stems):
        raise ValueError(f"at most {len(stems)} synthetic cities; ask for fewer documents than {n_docs}")
    rng = random.Random(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n_docs):
        template = real[i % len(real)]
        path = out_dir / f"s{i:05d}_{template.name}"
        path.write_text(synth_document(template, stems[i], rng), encoding="utf-8")
        paths.append(path)
    return paths


@dataclass(frozen=True)
class Passages:
    """Synthetic passages and, for each, the index of the real passage it was rewritten from."""

    texts: list[str]
    sources: np.ndarray


def synth_passages(texts: list[str], n: int, seed: int = 0) -> Passages:
    """`n` passages rewritten from the real ones (city, counts, dates, companies)."""
    rng = random.Random(seed)
    stems = city_stems()
    pseudo = Template("", "", REAL_STEMS[0], JIMU[0])
    sources = np.arange(n) % len(texts)
    out = []
    for i, src in enumerate(sources):
        text = texts[src]
        for real in REAL_STEMS:
            text = text.replace(real, stems[i % len(stems)])
        out.append(rewrite(text, pseudo, stems[i % len(stems)], JIMU[i % len(JIMU)], rng))
    return Passages(out, sources)


def derive_vectors(real: np.ndarray, sources: np.ndarray, spread: float = 0.45, seed: int = 0) -> np.ndarray:
    """Vectors near the real ones: source + spread * (difference of two random real vectors), normalised.

    The offset stays in the span of real e5 vectors (isotropic noise would leave it), and at spread 0.45 a
    derived vector keeps a cosine of ~0.98 to its source: a rewritten passage next to its original."""
    rng = np.random.default_rng(seed)
    j, k = rng.integers(0, len(real), len(sources)), rng.integers(0, len(real), len(sources))
    out = np.empty((len(sources), real.shape[1]), dtype=np.float32)
    step = 100_000  # in blocks: 1M x 384 float32 temporaries would triple the peak memory
    for a in range(0, len(sources), step):
        b = slice(a, a + step)
        v = real[sources[b]] + spread * (real[j[b]] - real[k[b]])
        out[b] = v / np.linalg.norm(v, axis=1, keepdims=True)
    return out
