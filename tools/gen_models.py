#!/usr/bin/env python3
"""Generate the compact service models that Cognate validates AWS requests against.

Usage:
    python3 tools/gen_models.py [--botocore DIR]

DIR is a directory holding the `botocore` package (the one with `botocore/data/`). Without
--botocore, the newest botocore on PyPI is installed into a temporary directory first:

    pip install --no-deps --target /tmp/botocore-latest botocore

and that copy is read. The script writes one file per service,

    src/http/aws/model/cognito-idp.json
    src/http/aws/model/cognito-identity.json
    src/http/aws/model/cognito-sync.json

keeping only what request validation needs: per operation its input shape, whether it is
unsigned (`authtype: none` or `auth: ["smithy.api#noAuth"]`), its HTTP method and request URI,
and its error shape names; per shape reachable from an input, its type and constraints (min,
max, pattern, enum, sensitive), structure members (in the model's order, with their REST
`location` / `locationName`), list members and map keys/values.

The output is deterministic: keys are sorted, members and enum values keep the model's order,
and every operation and shape sits on its own line, so regenerating gives clean diffs. The
script fails if a model's operations differ from `aws-operations/<service>.txt` when that list
is found (shared/aws-operations beside the repository, or --operations DIR).
"""

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile

SERVICES = ["cognito-idp", "cognito-identity", "cognito-sync"]
SHAPE_KEYS = ["type", "min", "max", "pattern", "enum", "sensitive", "document", "required"]
NO_AUTH = "smithy.api#noAuth"


def install_latest_botocore():
    target = os.path.join(tempfile.gettempdir(), "botocore-latest")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--upgrade",
         "--target", target, "botocore"],
        check=True,
    )
    return target


def botocore_version(root):
    with open(os.path.join(root, "botocore", "__init__.py"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("__version__"):
                return line.split("=", 1)[1].strip().strip("'\"")
    raise SystemExit(f"no __version__ in {root}/botocore/__init__.py")


def load_service(root, service):
    base = os.path.join(root, "botocore", "data", service)
    versions = sorted(os.listdir(base))
    folder = os.path.join(base, versions[-1])
    plain = os.path.join(folder, "service-2.json")
    if os.path.exists(plain):
        with open(plain, encoding="utf-8") as f:
            return json.load(f)
    with gzip.open(plain + ".gz", "rt", encoding="utf-8") as f:
        return json.load(f)


def reachable_shapes(model):
    shapes = model["shapes"]
    seen, stack = set(), []
    for op in model["operations"].values():
        if "input" in op:
            stack.append(op["input"]["shape"])
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        shape = shapes[name]
        stack.extend(m["shape"] for m in shape.get("members", {}).values())
        stack.extend(shape[k]["shape"] for k in ("member", "key", "value") if k in shape)
    return seen


def compact_shape(shape):
    out = {k: shape[k] for k in SHAPE_KEYS if k in shape}
    if shape["type"] == "structure":
        members = []
        for name, member in shape.get("members", {}).items():
            entry = {"name": name, "shape": member["shape"]}
            for k in ("location", "locationName"):
                if k in member:
                    entry[k] = member[k]
            members.append(entry)
        out["members"] = members
    for k in ("member", "key", "value"):
        if k in shape:
            out[k] = shape[k]["shape"]
    return out


def compact_operation(op):
    out = {"errors": [e["shape"] for e in op.get("errors", [])]}
    if "input" in op:
        out["input"] = op["input"]["shape"]
    unsigned = op.get("authtype") == "none" or NO_AUTH in op.get("auth", [])
    out["authtype"] = "none" if unsigned else "v4"
    http = op.get("http", {})
    out["http"] = {"method": http.get("method", "POST"), "requestUri": http.get("requestUri", "/")}
    return out


def compact_model(model, version):
    meta = model["metadata"]
    keep = ("protocol", "targetPrefix", "jsonVersion", "apiVersion", "endpointPrefix",
            "signingName", "uid")
    shapes = reachable_shapes(model)
    return {
        "botocore_version": version,
        "metadata": {k: meta[k] for k in keep if k in meta},
        "operations": {n: compact_operation(o) for n, o in model["operations"].items()},
        "shapes": {n: compact_shape(model["shapes"][n]) for n in shapes},
    }


def dump(doc):
    """Sorted keys, one operation and one shape per line."""
    line = lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    parts = ["{"]
    parts.append(f'"botocore_version":{line(doc["botocore_version"])},')
    parts.append(f'"metadata":{line(doc["metadata"])},')
    for section in ("operations", "shapes"):
        entries = sorted(doc[section].items())
        parts.append(f'"{section}":{{')
        for i, (name, value) in enumerate(entries):
            comma = "," if i + 1 < len(entries) else ""
            parts.append(f"{line(name)}:{line(value)}{comma}")
        parts.append("}," if section == "operations" else "}")
    parts.append("}")
    return "\n".join(parts) + "\n"


def check_operations(doc, service, operations_dir):
    if not operations_dir:
        return
    listed = os.path.join(operations_dir, f"{service}.txt")
    if not os.path.exists(listed):
        return
    with open(listed, encoding="utf-8") as f:
        want = {line.strip() for line in f if line.strip()}
    have = set(doc["operations"])
    if want != have:
        raise SystemExit(
            f"{service}: model and {listed} differ: "
            f"missing {sorted(want - have)}, extra {sorted(have - want)}"
        )


def default_operations_dir(repo):
    for candidate in (os.path.join(repo, "..", "shared", "aws-operations"),
                      os.path.join(repo, "src", "http", "aws", "operations")):
        if os.path.isdir(candidate):
            return candidate
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--botocore", help="directory holding the botocore package")
    parser.add_argument("--operations", help="directory with <service>.txt operation lists")
    args = parser.parse_args()
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    root = args.botocore or install_latest_botocore()
    version = botocore_version(root)
    operations_dir = args.operations or default_operations_dir(repo)
    out_dir = os.path.join(repo, "src", "http", "aws", "model")
    os.makedirs(out_dir, exist_ok=True)
    for service in SERVICES:
        doc = compact_model(load_service(root, service), version)
        check_operations(doc, service, operations_dir)
        path = os.path.join(out_dir, f"{service}.json")
        with open(path, "w", encoding="utf-8") as f:
            f.write(dump(doc))
        print(f"{path}: botocore {version}, {len(doc['operations'])} operations, "
              f"{len(doc['shapes'])} shapes")


if __name__ == "__main__":
    main()
