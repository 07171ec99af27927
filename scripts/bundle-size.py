#!/usr/bin/env python3
"""Prints the sizes of the browser bundle (raw and gzipped, as a browser that
accepts gzip receives it; brotli is smaller still) from a site's pkg directory."""

import gzip
import pathlib
import sys

LIMIT_KB = 400


def main() -> int:
    pkg = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "target/site/pkg")
    rows = []
    for ext in ("wasm", "js", "css"):
        path = pkg / f"renkei.{ext}"
        if not path.exists():
            print(f"bundle: {path} not found", file=sys.stderr)
            return 1
        data = path.read_bytes()
        rows.append((ext, len(data), len(gzip.compress(data, compresslevel=9))))
    print("bundle     raw KB   gzip KB")
    for ext, raw, gz in rows:
        print(f"{ext:<8} {raw / 1024:8.1f}  {gz / 1024:8.1f}")
    total = sum(gz for _, _, gz in rows)
    wasm = rows[0][2]
    print(f"total gzip {total / 1024:.1f} KB; wasm gzip {wasm / 1024:.1f} KB "
          f"(goal below {LIMIT_KB} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
