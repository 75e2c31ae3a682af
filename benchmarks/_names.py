"""Generated Chinese person names for the benchmarks: one set of surnames and given-name characters.

:mod:`benchmarks.names` (throughput of ``forms()``) and :mod:`benchmarks.linking` (linking at
directory scale) draw their names from these lists, so both measure the same population.

* :data:`SURNAMES` — 100 common single-character surnames (simplified), most common first;
* :data:`COMPOUND_SURNAMES` — 12 compound surnames;
* :data:`GIVEN` — 225 distinct given-name characters.
"""
from __future__ import annotations

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
            "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
            "龚邵万钱严覃武戴莫孔向汤")
COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "夏侯", "皇甫", "尉迟", "公孙", "令狐", "东方", "慕容", "司徒")
GIVEN = ("伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉萍红娥玲兰凤洁梅琳素云莲真环雪荣爱妹香月莺媛"
         "瑞凡佳嘉琼勤珍贞莉娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴"
         "蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒"
         "伊亚宜可姬舒影荔枝思俊喜文以洪近泽东小克新建国志海波鹏辉成康星光天达安岩中茂进林有坚和彪"
         "博诚先敬震振壮会群豪心邦承乐绍功松善厚庆民友裕河哲江浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌")

assert len(set(SURNAMES)) == len(SURNAMES) == 100 and len(set(GIVEN)) == len(GIVEN) == 225
