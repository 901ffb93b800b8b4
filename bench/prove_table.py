"""Time to PROVED per scenario, kernel version, mode and engine, from ``spte-verify prove``
output (the table it prints on standard output).

    python bench/prove_table.py LOG... > bench/results/prove.md

Each LOG is the standard output of one or more ``spte-verify prove`` runs.  A property's
time is the portfolio's time to its decisive answer (``time`` column), measured inside
the run that produced it; the engine column says which engine answered first.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict

ROW = re.compile(r"^(\S+)\s+(V-\S+/\S+)\s+(\S+)\s+(\S+)\s+(PROVED|VIOLATED|UNKNOWN|CHECKER_BUG)"
                 r"\s+(\S+)\s+([0-9.]+)s")


def main(paths: list[str]) -> int:
    rows: dict[tuple[str, str, str], tuple[str, str, float]] = {}
    for p in paths:
        with open(p, encoding="utf-8") as f:
            for line in f:
                m = ROW.match(line)
                if m:
                    sc, km, _var, prop, verdict, engine, secs = m.groups()
                    rows[(sc, km, prop)] = (verdict, engine, float(secs))
    by_cell: dict[tuple[str, str], list[tuple[str, str, float]]] = defaultdict(list)
    for (sc, km, _prop), v in rows.items():
        by_cell[(sc, km)].append(v)
    print("| scenario | kernel/mode | PROVED | VIOLATED | UNKNOWN | engines (first answer) "
          "| slowest PROVED |")
    print("|---|---|---|---|---|---|---|")
    totals: dict[str, int] = defaultdict(int)
    for (sc, km) in sorted(by_cell):
        vs = by_cell[(sc, km)]
        count = {k: sum(1 for v in vs if v[0] == k) for k in ("PROVED", "VIOLATED", "UNKNOWN")}
        for k, n in count.items():
            totals[k] += n
        eng: dict[str, int] = defaultdict(int)
        for v in vs:
            if v[0] in ("PROVED", "VIOLATED"):
                eng[v[1]] += 1
        slow = max((v[2] for v in vs if v[0] == "PROVED"), default=None)
        print(f"| {sc} | {km} | {count['PROVED']} | {count['VIOLATED']} | {count['UNKNOWN']} "
              f"| {', '.join(f'{e} {n}' for e, n in sorted(eng.items())) or '-'} "
              f"| {f'{slow:.1f} s' if slow is not None else '-'} |")
    print()
    print(f"Totals: {totals['PROVED']} PROVED, {totals['VIOLATED']} VIOLATED, "
          f"{totals['UNKNOWN']} UNKNOWN over {len(by_cell)} scenario × kernel × mode cells.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
