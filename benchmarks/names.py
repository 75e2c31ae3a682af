"""Throughput of :func:`pipeline.names.forms` on 10,000 distinct Chinese person names.

Names are generated deterministically (seeded) from common surnames (single and
compound) and given-name characters, half of them written in traditional
characters. One run prints a Markdown table: an uncached pass (every per-name
cache cleared first; the data tables, OpenCC and pypinyin stay loaded, their
one-off start-up is reported separately) and a cached second pass, with the ratio.

Usage::

    python benchmarks/names.py [--names 10000] [--repeat 3] [--seed 20181030]
"""
from __future__ import annotations

import argparse
import platform
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
            "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
            "龚邵万钱严覃武戴莫孔向汤单乐区查解仇")
COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "夏侯", "皇甫", "尉迟", "公孙", "令狐", "东方", "慕容", "司徒")
GIVEN = ("伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉萍红娥玲兰凤洁梅琳素云莲真环雪荣爱妹香月莺媛"
         "瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴"
         "蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒"
         "伊亚宜可姬舒影荔枝思丽俊喜文以洪近平泽东小克新建国志明海波鹏辉成康星光天达安岩中茂进林有坚和彪"
         "博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌")


def make_names(count: int, seed: int) -> list[str]:
    """``count`` distinct names; every second one converted to traditional characters."""
    from pipeline.names.zh import to_traditional

    rng = random.Random(seed)
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        surname = rng.choice(COMPOUND_SURNAMES) if rng.random() < 0.03 else rng.choice(SURNAMES)
        given = "".join(rng.choice(GIVEN) for _ in range(1 if rng.random() < 0.3 else 2))
        name = surname + given
        if len(names) % 2:
            name = to_traditional(name)
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def timed_pass(names: list[str]) -> float:
    from pipeline.names import forms

    start = time.perf_counter()
    for name in names:
        forms(name)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--names", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3, help="uncached passes; the best is reported")
    parser.add_argument("--seed", type=int, default=20181030)
    args = parser.parse_args(argv)

    start = time.perf_counter()
    from pipeline.names import clear_caches, forms

    forms("賀俊"), forms("上海社会科学院", "org"), forms("He Jun")  # load tables, OpenCC, pypinyin
    startup = time.perf_counter() - start
    names = make_names(args.names, args.seed)

    uncached = []
    for _ in range(max(1, args.repeat)):
        clear_caches()
        uncached.append(timed_pass(names))
    cold = min(uncached)
    warm = timed_pass(names)  # every name is in the caches now

    n = len(names)
    print(f"# forms() on {n:,} distinct names (seed {args.seed}); Python {platform.python_version()}, "
          f"{platform.machine()}")
    print(f"# one-off start-up (imports, tables, OpenCC, pypinyin): {startup:.2f} s")
    print("| pass | seconds | names/s | µs/name |")
    print("|---|---:|---:|---:|")
    print(f"| uncached (best of {len(uncached)}) | {cold:.3f} | {n / cold:,.0f} | {cold / n * 1e6:.1f} |")
    print(f"| cached (second pass) | {warm:.4f} | {n / warm:,.0f} | {warm / n * 1e6:.2f} |")
    print(f"| ratio cached / uncached | | {cold / warm:,.1f}× | |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
