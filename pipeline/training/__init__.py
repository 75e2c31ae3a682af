"""Training: corpora readers (KMOU, 2016klp, KLUE for evaluation), the product's entity definition,
mention-replacement augmentation and ``hanlink train`` (:mod:`.train`, config in ``configs/ner.cfg``)."""
