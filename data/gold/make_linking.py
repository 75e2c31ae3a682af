"""Write data/gold/linking.jsonl from the marked sentences below.

The sentences were written for hanlink's linking gold (none is copied from the
news); the people and institutions they link to are the rows of
``data/gold/speakers.csv`` and ``data/gold/institutions.csv`` (real names of
public figures and bodies with partly fictional affiliations and two fictional
namesake rows, so that every hard case occurs).

Markup: ``[surface|ID]`` marks one mention; ``ID`` is a row id (``GP..``
speakers → PERSON, ``GI..`` institutions → ORG) or ``NIL-P`` / ``NIL-O`` for a
person / institution that is in neither table (``kb_id: null``). Spans follow
the product's conventions: no particle, no parenthesis, the units of an
affiliation as separate mentions.

The document id starts with its category: ``cross`` (another script of the
name: hanja, simplified, Latin, Sino-Korean reading), ``variant`` (a Hangul
transcription variant), ``namesake`` (two rows share the Hangul name), ``nil``
(a person not in the table), ``nested`` (units of institutions) and ``abbrev``
(abbreviations, English, Chinese and place-variant names of institutions).
The development/test split is made from the ids by
:func:`pipeline.evaluation.linking.split_records`.

Usage::

    python data/gold/make_linking.py        # rewrites data/gold/linking.jsonl
"""
from __future__ import annotations

import json
import re
from pathlib import Path

DOCS = [
    # -- cross-script ---------------------------------------------------------------------
    ("cross-01", "[賀俊|GP01] [중국사회과학원|GI01] [공업경제연구소|GI02] 주임은 제조업 고도화가 더디다고 말했다."),
    ("cross-02", "[贺俊|GP01] 주임은 이날 발표에서 산업 정책의 방향을 설명했다."),
    ("cross-03", "[He Jun|GP01] 주임은 화상으로 토론에 참여했다."),
    ("cross-04", "[하준|GP01](賀俊) [중국사회과학원|GI01] [공업경제연구소|GI02] 주임도 자리를 함께했다."),
    ("cross-05", "[하준|GP01] [중국사회과학원|GI01] [공업경제연구소|GI02] 주임은 질의에 답했다."),
    ("cross-06", "[하준|GP26] [한국개발연구원|GI21] 연구원은 국내 설비투자 동향을 발표했다."),
    ("cross-07", "[周小川|GP06] [중국인민은행|GI22] 행장은 통화정책의 원칙을 설명했다."),
    ("cross-08", "[Zhou Xiaochuan|GP06] 행장의 발언이 시장의 주목을 받았다."),
    ("cross-09", "[주소천|GP06] [중국인민은행|GI22] 행장은 위안화 국제화를 언급했다."),
    ("cross-10", "[林毅夫|GP17] [베이징대학|GI11] 교수는 신구조경제학을 소개했다."),
    ("cross-11", "[Lin Yifu|GP17] 교수는 개발도상국의 성장 전략을 논의했다."),
    ("cross-12", "[吴敬琏|GP18] 연구원은 시장 개혁의 속도를 강조했다."),
    ("cross-13", "[김상훈|GP22](金相勳) [서울대|GI19] [국제대학원|GI20] 교수는 한중 무역을 분석했다."),
    ("cross-14", "[Kim Sanghun|GP21] 실장은 해외 공장 이전 현황을 공개했다."),
    ("cross-15", "[张维迎|GP19] 교수는 기업가 정신을 강조했다."),
    ("cross-16", "[Wang Xiwen|GP04] 연구원은 산업 인터넷 사례를 소개했다."),
    ("cross-17", "[姚洋|GP16] [베이징대학|GI11] [국가발전연구원|GI12] 원장은 성장률 전망을 내놨다."),
    ("cross-18", "[張維迎|GP19] 교수의 강연에는 많은 청중이 몰렸다."),
    ("cross-19", "[임의부|GP17] [베이징대학|GI11] 교수는 산업 정책 논쟁에 대해 답했다."),
    ("cross-20", "[孫立平|GP05] [칭화대학|GI13] 교수는 사회 구조의 변화를 짚었다."),
    ("cross-21", "[Kim Sang Hun|GP21] 실장은 동남아 생산기지를 점검했다."),
    ("cross-22", "[주소천|GP06] 행장은 금융 개혁의 성과를 자평했다."),
    ("cross-23", "[하준|GP26] 연구원은 지역 고용 통계를 정리했다."),
    # -- transcription variants -----------------------------------------------------------
    ("variant-01", "[허준|GP01] [중국사회과학원|GI01] [공업경제연구소|GI02] 주임은 첨단 제조업 육성을 주문했다."),
    ("variant-02", "[장웬웬|GP02] [상하이사회과학원|GI03] [응용경제연구소|GI05] 부주임은 소비 회복을 전망했다."),
    ("variant-03", "[루오이홍|GP03] [광둥성사회과학원|GI18] 연구원은 지역 균형 발전을 강조했다."),
    ("variant-04", "[순리핑|GP05] [칭화대학|GI13] 교수는 도시화의 그늘을 지적했다."),
    ("variant-05", "[조우샤오촨|GP06] [중국인민은행|GI22] 행장은 금융 안정을 거듭 강조했다."),
    ("variant-06", "[첸위루|GP07] [중국인민은행|GI22] 부행장은 디지털 화폐 시범 사업을 설명했다."),
    ("variant-07", "[리우허|GP08] [국무원 발전연구중심|GI17] 주임은 구조 개혁을 역설했다."),
    ("variant-08", "[정용녠|GP09] [베이징대학|GI11] 교수는 미중 관계를 진단했다."),
    ("variant-09", "[우징렌|GP18] 연구원은 국유기업 개혁을 촉구했다."),
    ("variant-10", "[저우샤오찬|GP06] 행장은 기자회견에서 환율 질문에 답했다."),
    ("variant-11", "[장위엔위엔|GP02] 부주임은 소비 지표를 근거로 들었다."),
    ("variant-12", "[뤄이홍|GP03] 연구원은 서부 대개발의 성과를 평가했다."),
    ("variant-14", "[허쥔|GP01] 주임과 [장위앤위앤|GP02] 부주임이 나란히 토론자로 나섰다."),
    ("variant-15", "[쑨리핑|GP05] 교수는 [칭화대학|GI13] 강연에서 불평등을 다뤘다."),
    ("variant-16", "[Zhōu Xiǎochuān|GP06] 행장은 개혁 개방의 경험을 회고했다."),
    ("variant-17", "[Chou Hsiao-chuan|GP06] 행장의 회고록이 번역됐다."),
    # -- namesakes ----------------------------------------------------------------------
    ("namesake-01", "[장쥔|GP10] [푸단대학|GI15] [경제학원|GI16] 원장은 재정 정책을 평가했다."),
    ("namesake-02", "[장쥔|GP11] [중국사회과학원|GI01] [세계경제정치연구소|GI06] 연구원은 국제 정세를 분석했다."),
    ("namesake-03", "[리웨이|GP12](李偉) [국무원 발전연구중심|GI17] 주임은 중장기 개혁 과제를 발표했다."),
    ("namesake-04", "[리웨이|GP13](李巍) 소장은 금융 위험 관리 방안을 설명했다."),
    ("namesake-05", "[왕웨이|GP14] [베이징대학|GI11] [국가발전연구원|GI12] 교수는 노동 시장을 분석했다."),
    ("namesake-06", "[왕웨이|GP15] [칭화대학|GI13] 교수는 행정 개혁 사례를 소개했다."),
    ("namesake-07", "[김상훈|GP21] [산업연구원|GI09] [해외산업연구실|GI10]장은 공급망 재편을 전망했다."),
    ("namesake-08", "[김상훈|GP22] [서울대|GI19] 교수는 통상 협상의 쟁점을 정리했다."),
    ("namesake-09", "[이준호|GP24] [KDI|GI21] 연구위원은 잠재성장률 추정치를 내놨다."),
    ("namesake-10", "[이준호|GP25] [서울대|GI19] [경제학부|GI25] 교수는 금리 경로를 예상했다."),
    ("namesake-11", "[이준호|GP25](李準鎬) 교수는 통화정책의 시차를 설명했다."),
    ("namesake-12", "[장쥔|GP10] [푸단대학|GI15] [경제학원|GI16] 원장은 지방 재정을 평가했다. [장쥔|GP10] 원장은 또 세제 개편을 제안했다."),
    ("namesake-13", "[중국인민은행|GI22] 보고서 작성을 이끈 [리웨이|GP13] 소장은 부동산 대출을 경고했다."),
    ("namesake-14", "[중국사회과학원|GI01] [세계경제정치연구소|GI06] 소속 [장쥔|GP11] 연구원은 통상 분쟁을 다뤘다."),
    ("namesake-15", "[왕웨이|GP15](王偉) [칭화대학|GI13] [공공관리학원|GI14] 교수는 정부 혁신을 소개했다."),
    ("namesake-16", "[김상훈|GP21] 실장은 [산업연구원|GI09] 세미나에서 중국 제조업을 진단했다."),
    ("namesake-17", "[장쥔|GP10] 원장은 졸업식에서 축사를 했다."),
    ("namesake-18", "[푸단대학|GI15] [경제학원|GI16]은 학술대회를 열었다. 기조연설을 맡은 [장쥔|GP10] 원장은 재정 분권을 다뤘다."),
    ("namesake-19", "[왕웨이|GP14] [베이징대학|GI11] 교수는 인구 고령화를 분석했다."),
    ("namesake-20", "[허준|GP31] [KDI|GI21] 연구위원은 가계부채를 분석했다."),
    # -- people not in the table (NIL) ----------------------------------------------------
    ("nil-01", "[천밍|NIL-P](陳明) [푸단대학|GI15] 교수는 인구 구조 변화를 설명했다."),
    ("nil-02", "[허쥔|NIL-P](何俊) [칭화대학|GI13] 교수는 에너지 전환을 강조했다."),
    ("nil-03", "[김철수|NIL-P] [KDI|GI21] 연구위원은 고용 지표를 분석했다."),
    ("nil-04", "[이준호|NIL-P] [산업연구원|GI09] 연구위원은 반도체 수출을 전망했다."),
    ("nil-05", "[장쥔|NIL-P](張俊) [베이징대학|GI11] 교수는 농촌 개혁을 설명했다."),
    ("nil-06", "[마윈|NIL-P](馬雲) [알리바바연구원|GI24] 명예원장은 창업 경험을 들려줬다."),
    ("nil-07", "[왕웨이|NIL-P](王瑋) [푸단대학|GI15] 교수는 도시 계획을 논했다."),
    ("nil-08", "[박지훈|NIL-P] [서울대|GI19] 교수는 환율 변동성을 분석했다."),
    ("nil-09", "[허진|NIL-P] [산업연구원|GI09] 연구원은 조선업 동향을 보고했다."),
    ("nil-10", "[류웨이|NIL-P](劉偉) [중국인민은행|GI22] 연구원은 신용 통계를 공개했다."),
    ("nil-11", "[Zhang Ming|NIL-P] 교수는 기후 금융을 소개했다."),
    ("nil-12", "[리창|NIL-P] [톈진대학|GI26] 교수는 항만 물류를 연구한다."),
    ("nil-13", "[최현우|NIL-P] [대외경제정책연구원|GI07] 연구위원은 아세안 시장을 분석했다."),
    ("nil-14", "[쑨웨이|NIL-P] [칭화대학|GI13] [공공관리학원|GI14] 교수는 공공 서비스를 다뤘다."),
    ("nil-15", "[정진우|NIL-P] [하버드대학|NIL-O] 교수는 동아시아 경제를 비교했다."),
    ("nil-16", "[삼성경제연구소|NIL-O] [이민호|NIL-P] 수석연구원은 소비 심리를 분석했다."),
    ("nil-17", "[양쥔|NIL-P](楊軍) [알리바바연구원|GI24] 연구원은 클라우드 시장을 전망했다."),
    ("nil-18", "[김영수|NIL-P] [한국개발연구원|GI21] 연구위원은 재정 건전성을 강조했다."),
    ("nil-19", "[천하오|NIL-P](陳浩) [상하이사회과학원|GI03] 연구원은 항구 물동량을 분석했다."),
    ("nil-20", "[박서연|NIL-P] [서울대|GI19] [국제대학원|GI20] 교수는 개발 협력을 다뤘다."),
    ("nil-21", "[모택동|NIL-P] 주석의 어록이 다시 회자됐다."),
    ("nil-22", "[리웨이|NIL-P] [푸단대학|GI15] 교수는 환경 규제를 평가했다."),
    ("nil-23", "[중국과학원|NIL-O] 연구진은 새로운 배터리 소재를 공개했다."),
    ("nil-24", "[저우샤오밍|NIL-P] [중국인민은행|GI22] 연구원은 지급결제 통계를 발표했다."),
    ("nil-25", "[천위린|NIL-P] [중국인민은행|GI22] 연구원은 외환 보유액을 설명했다."),
    ("nil-26", "[허준|NIL-P](許浚) [칭화대학|GI13] 교수는 전통 의학을 소개했다."),
    # -- nested institutions ----------------------------------------------------------------
    ("nested-01", "[중국사회과학원|GI01] [공업경제연구소|GI02]는 올해 산업 보고서를 냈다."),
    ("nested-02", "[상하이사회과학원|GI03] [공업경제연구소|GI04]의 연구진이 제조업 지수를 발표했다."),
    ("nested-03", "[상해사회과학원|GI03] [응용경제연구소|GI05]는 소비 조사 결과를 공개했다."),
    ("nested-04", "[CASS|GI01] [공업경제연구소|GI02] 주임 [허쥔|GP01]은 정책 제언을 내놨다."),
    ("nested-05", "[베이징대학|GI11] [국가발전연구원|GI12] 원장 [야오양|GP16]은 성장 둔화를 인정했다."),
    ("nested-06", "[푸단대학|GI15] [경제학원|GI16]은 국제 학술회의를 열었다."),
    ("nested-07", "[서울대|GI19] [국제대학원|GI20] [정영록|GP27] 교수는 중국 금융 시장을 설명했다."),
    ("nested-08", "[중국인민은행|GI22] [금융연구소|GI23] [리웨이|GP13] 소장은 통화 공급을 분석했다."),
    ("nested-09", "[KIEP|GI07] [세계지역연구센터|GI08] 소장 [양평섭|GP23]은 개회사를 했다."),
    ("nested-10", "[중국사회과학원|GI01]은 [공업경제연구소|GI02]를 중심으로 연구단을 꾸렸다."),
    ("nested-11", "[칭화대학|GI13] [공공관리학원|GI14] [왕웨이|GP15] 교수는 지방 정부 평가를 발표했다."),
    ("nested-12", "[중국사회과학원|GI01] [세계경제정치연구소|GI06]는 세계 경제 전망을 내놨다."),
    ("nested-13", "[상하이사회과학원|GI03]은 [공업경제연구소|GI04] 연구진과 함께 조사를 벌였다."),
    ("nested-14", "[대외경제정책연구원|GI07] [세계지역연구센터|GI08] [김주혜|GP30] 연구원에게 문의하면 된다."),
    ("nested-15", "[중국 사회과학원|GI01] [공업경제연구소|GI02] [허쥔|GP01] 주임은 스마트 공장을 소개했다."),
    # -- abbreviations, English, Chinese and place variants of institutions ------------------
    ("abbrev-01", "[KDI|GI21] [박진|GP28] 선임연구위원은 재정 준칙을 제안했다."),
    ("abbrev-02", "[PBOC|GI22]는 지급준비율을 낮췄다."),
    ("abbrev-03", "[DRC|GI17] [우징롄|GP18] 연구원은 개혁의 순서를 논했다."),
    ("abbrev-04", "[Peking University|GI11]의 [린이푸|GP17] 교수는 비교우위를 강조했다."),
    ("abbrev-05", "[Tsinghua University|GI13] [쑨리핑|GP05] 교수는 사회 안전망을 분석했다."),
    ("abbrev-06", "[中国社会科学院|GI01] [공업경제연구소|GI02] [허쥔|GP01] 주임은 디지털 전환을 말했다."),
    ("abbrev-07", "[中國社會科學院|GI01]은 연례 경제청서를 발간했다."),
    ("abbrev-08", "[북경대학|GI11] [린이푸|GP17] 교수는 후발국 이론을 설명했다."),
    ("abbrev-09", "[천진대학|GI26] 연구진은 수소 연료를 개발했다."),
    ("abbrev-10", "[광동성사회과학원|GI18] [뤄이훙|GP03] 연구원은 주강 삼각주 경제를 분석했다."),
    ("abbrev-11", "[국무원발전연구센터|GI17]의 [류허|GP08] 주임은 거시 정책을 설명했다."),
    ("abbrev-12", "[인민은행|GI22] [천위루|GP07] 부행장은 금융 개방을 약속했다."),
    ("abbrev-13", "[SNU|GI19] [김상훈|GP22] 교수는 자유무역협정을 평가했다."),
    ("abbrev-14", "[한국대외경제정책연구원|GI07] [최필수|GP29] 연구위원은 중국 지역 경제를 분석했다."),
    ("abbrev-15", "[SASS|GI03] [장위안위안|GP02] 부주임은 서비스 소비를 강조했다."),
    ("abbrev-16", "[IWEP|GI06] [장쥔|GP11] 연구원은 국제 통화 체제를 논했다."),
    ("abbrev-17", "[阿里巴巴研究院|GI24] [쉬칭|GP20] 연구원은 농촌 전자상거래를 소개했다."),
    ("abbrev-18", "[KIET|GI09] [해외산업연구실|GI10] [김상훈|GP21] 실장은 발표를 맡았다."),
    ("abbrev-19", "[Fudan University|GI15] [장쥔|GP10] 원장은 학술 교류를 제안했다."),
    ("abbrev-20", "[상해 사회과학원|GI03] [장위안위안|GP02] 부주임은 소비 여건을 분석했다."),
    ("abbrev-21", "[Chinese Academy of Social Sciences|GI01] 소속 [허쥔|GP01] 주임은 중소기업 정책을 논했다."),
]

_MARK = re.compile(r"\[([^\[\]|]+)\|([A-Z0-9-]+)\]")


def parse(marked: str) -> tuple[str, list[dict]]:
    """Plain text and entities of one marked sentence."""
    text, entities, position = "", [], 0
    for match in _MARK.finditer(marked):
        text += marked[position:match.start()]
        surface, kb = match.group(1), match.group(2)
        label = "PERSON" if kb in ("NIL-P",) or kb.startswith("GP") else "ORG"
        start = len(text)
        text += surface
        entities.append({"start": start, "end": len(text), "text": surface, "label": label,
                         "kb_id": None if kb.startswith("NIL") else kb})
        position = match.end()
    text += marked[position:]
    return text, entities


def main() -> None:
    out = Path(__file__).resolve().parent / "linking.jsonl"
    ids = set()
    with out.open("w", encoding="utf-8") as handle:
        for doc_id, marked in DOCS:
            assert doc_id not in ids, doc_id
            ids.add(doc_id)
            text, entities = parse(marked)
            for entity in entities:
                assert text[entity["start"]:entity["end"]] == entity["text"]
            handle.write(json.dumps({"id": doc_id, "text": text, "entities": entities}, ensure_ascii=False) + "\n")
    print(f"wrote {out} ({len(DOCS)} documents, "
          f"{sum(len(parse(m)[1]) for _, m in DOCS)} mentions)")


if __name__ == "__main__":
    main()
