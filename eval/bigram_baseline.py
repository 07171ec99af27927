#!/usr/bin/env python3
"""The baseline `renkei eval-search` is compared with: character bigrams with BM25
over the same case texts, after NFKC and katakana-to-hiragana folding, on the same
judged queries; advisor queries run over the profiles of `eval/advisors.json`
(name, specialties, qualifications, introduction and record). Standard library
only.

    python3 eval/bigram_baseline.py [eval/search.json] [reference/cases.json]
"""

import json
import math
import sys
import unicodedata
from collections import Counter, defaultdict

K1, B = 1.2, 0.75


def fold(text):
    text = unicodedata.normalize("NFKC", text).lower()
    # Katakana (ァ..ヶ) to hiragana, so かな and カナ spellings meet.
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in text)


def grams(text):
    text = fold(text)
    out = []
    for word in text.split():
        if len(word) == 1:
            out.append(word)
        out.extend(word[i : i + 2] for i in range(len(word) - 1))
    return out


def case_text(case):
    parts = [case.get("title", ""), case.get("organisation", ""), case.get("summary", "")]
    for key in ("points", "effects"):
        value = case.get(key) or []
        parts.extend(value if isinstance(value, list) else [value])
    return " ".join(parts)


def advisor_text(advisor, labels):
    parts = [advisor["name"], advisor["bio"], advisor["track_record"]]
    parts.extend(labels.get(code, "") for code in advisor["specialties"])
    parts.extend(labels.get(code, "") for code in advisor["qualifications"])
    return " ".join(parts)


class Bm25:
    def __init__(self, texts):
        self.docs = {key: Counter(grams(text)) for key, text in texts.items()}
        self.lengths = {key: sum(tf.values()) for key, tf in self.docs.items()}
        self.average = sum(self.lengths.values()) / len(self.lengths)
        self.df = Counter(g for tf in self.docs.values() for g in tf)

    def rank(self, query):
        n = len(self.docs)
        scores = defaultdict(float)
        for g in set(grams(query)):
            if g not in self.df:
                continue
            idf = math.log(1 + (n - self.df[g] + 0.5) / (self.df[g] + 0.5))
            for key, tf in self.docs.items():
                f = tf.get(g, 0)
                if f:
                    norm = f + K1 * (1 - B + B * self.lengths[key] / self.average)
                    scores[key] += idf * f * (K1 + 1) / norm
        return [k for k, _ in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))]


def main():
    queries_file = sys.argv[1] if len(sys.argv) > 1 else "eval/search.json"
    cases_file = sys.argv[2] if len(sys.argv) > 2 else "reference/cases.json"
    queries = json.load(open(queries_file, encoding="utf-8"))
    cases = json.load(open(cases_file, encoding="utf-8"))
    bank = json.load(open(queries_file.rsplit("/", 1)[0] + "/advisors.json", encoding="utf-8"))
    taxonomy = json.load(open("reference/advisor_taxonomy.json", encoding="utf-8"))
    labels = {code: label for kind in ("specialty", "qualification") for code, label in taxonomy[kind]}
    engines = {
        "case": Bm25({c["slug"]: case_text(c) for c in cases}),
        "advisor": Bm25({a["name"]: advisor_text(a, labels) for a in bank["advisors"]}),
    }
    by_kind = defaultdict(list)
    for q in queries:
        target = q.get("target", "case")
        ranked = engines[target].rank(q["query"])
        relevant = set(q["relevant"])
        recall = len(relevant & set(ranked[:5])) / len(relevant)
        rr = next((1 / (i + 1) for i, s in enumerate(ranked) if s in relevant), 0.0)
        dcg = sum(1 / math.log2(i + 2) for i, s in enumerate(ranked[:10]) if s in relevant)
        ideal = sum(1 / math.log2(i + 2) for i in range(min(10, len(relevant))))
        row = (recall, rr, dcg / ideal)
        by_kind[(target, q["kind"])].append(row)
        by_kind[("(both)", q["kind"])].append(row)
        by_kind[("(all)", "")].append(row)
    print("| target | kind | queries | recall@5 | MRR | nDCG@10 |")
    print("|---|---|---:|---:|---:|---:|")
    for target, kind in sorted(by_kind, key=lambda k: (k[0] == "(all)", k)):
        rows = by_kind[(target, kind)]
        mean = [sum(col) / len(rows) for col in zip(*rows)]
        print(f"| {target} | {kind} | {len(rows)} | {mean[0]:.3f} | {mean[1]:.3f} | {mean[2]:.3f} |")


if __name__ == "__main__":
    main()
