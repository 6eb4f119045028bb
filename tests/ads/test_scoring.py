from __future__ import annotations

import math

import pytest

from threadline.ads import Contribution, extract, score
from threadline.ads.indicators import rule_sets

from .conftest import make_ad

# (language, country, deceptive, legitimate) job ads for the same kind of work.
PAIRS = [
    (
        "en", "GB",
        "URGENT! Hotel workers needed in Dubai. No experience needed, earn £4,000 monthly. "
        "Flights and visa paid, free accommodation. Registration fee £300, we keep your passport "
        "for safety. Contract signed on arrival. Leave this week! WhatsApp 07700 900123",
        "Brightwater Hospitality Ltd, 14 Harbour Street, Leeds (company no. 01234567) recruits "
        "hotel staff for Dubai. Salary £1,900 monthly. Written contract signed before departure; "
        "work visa sponsored. No fees are charged to workers. Apply: jobs@brightwater.example.com",
    ),
    (
        "fr", "FR",
        "URGENT offre d'emploi à l'étranger. Sans expérience, salaire 3.500 € par mois. Billet "
        "d'avion et visa payés, logement fourni. Frais de dossier 300 €. Nous gardons votre "
        "passeport. Contrat signé à l'arrivée. Départ cette semaine. WhatsApp 06 39 98 12 34",
        "Hôtellerie Dubreuil SARL, 12 rue des Lilas, 69003 Lyon (SIRET 123 456 789 00012) "
        "recrute des serveurs pour la saison. Salaire 1.900 € par mois. Contrat de travail écrit "
        "signé avant le départ. Aucun frais pour les candidats. "
        "Candidature : rh@dubreuil.example.fr",
    ),
    (
        "es", "ES",
        "Oferta de trabajo urgente en el extranjero, sin experiencia, gana hasta 3.000 euros al "
        "mes. Pasajes pagados, alojamiento incluido. Cuota de inscripción 200 €. Guardamos tu "
        "pasaporte. Contrato a la llegada. Viaja con visado de turista. Solo Telegram: @trabajo_ya",
        "Hostelería Mar Azul S.L. (CIF B12345678), Calle Mayor 10, Valencia, busca camareros. "
        "Salario 1.600 euros al mes. Contrato de trabajo por escrito firmado antes del viaje. "
        "Sin costo para el trabajador. Escriba a empleo@marazul.example.es",
    ),
    (
        "pt", "PT",
        "Vagas urgentes no exterior! Sem experiência, ganhe até 4.000 € por mês. Passagem paga, "
        "alojamento grátis. Taxa de inscrição 250 €. Ficamos com o seu passaporte. Sem contrato, "
        "embarque imediato com visto de turista. Só WhatsApp 912 345 678",
        "Quinta do Vale Lda (NIPC 501234567), Rua das Flores 20, Porto, contrata trabalhadores "
        "agrícolas. Salário 1.100 € por mês. Contrato de trabalho escrito assinado antes da "
        "partida. Não cobramos taxas. Candidaturas: rh@quintadovale.example.pt",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("language", "country", "deceptive", "legit"), PAIRS)
def test_legitimate_recruitment_scores_clearly_lower(
    language: str, country: str, deceptive: str, legit: str
) -> None:
    bad = make_ad(deceptive, country=country, language=language)
    good = make_ad(legit, country=country, language=language)
    bad_risk = score(bad, extract(bad)).risk
    good_risk = score(good, extract(good)).risk
    assert bad_risk > 0.8
    assert good_risk < 0.1
    ids = {c.id for c in score(good, extract(good)).contributions}
    assert "recruitment.legit_written_contract" in ids


ESCORTS = [
    ("en", "US", "Sweet young latina 🌹 150 roses/hr, trust me 100% real. "
                 "call for80 2sixseven one9zerofor 👑💗"),
    ("fr", "FR", "Jeunette asiatique très douce, de confiance. 150 roses. zéro six trente-neuf "
                 "quatre-vingt-dix-huit 🍒 appelle 0six 39 98 1two 34"),
    ("es", "ES", "Jovencita colombiana de confianza, 100 rosas la hora. "
                 "Llama seis uno dos tres cuatro cinco seis siete ocho"),
    ("pt", "PT", "Novinha brasileira de confiança 💗 200 rosas por hora. "
                 "Liga nove um dois três quatro cinco seis sete oito"),
]  # fmt: skip


@pytest.mark.parametrize(("language", "country", "text"), ESCORTS)
def test_escort_ads_with_predictive_indicators_score_high(
    language: str, country: str, text: str
) -> None:
    ad = make_ad(text, country=country, language=language)
    result = score(ad, extract(ad))
    ids = {c.id for c in result.contributions}
    assert {"sex.youth_language", "sex.stated_ethnicity", "sex.trust_language"} <= ids
    assert result.risk > 0.7


@pytest.mark.parametrize(
    ("language", "country", "text"), ESCORTS + [(lang, c, d) for lang, c, d, _ in PAIRS]
)
def test_contributions_account_for_every_point(language: str, country: str, text: str) -> None:
    ad = make_ad(text, country=country, language=language)
    result = score(ad, extract(ad))
    assert math.isclose(
        sum(c.contribution for c in result.contributions), result.risk, abs_tol=1e-9
    )
    assert result.contributions[0].id == "baseline"
    for c in result.contributions[1:]:
        assert c.spans, c.id  # every indicator points at its evidence
        assert (c.contribution >= 0) == (c.weight >= 0)


def test_movement_language_does_not_raise_risk() -> None:
    plain = make_ad("Discreet companion, call 07700 900123")
    moving = make_ad("New in town, leaving soon! Discreet companion, call 07700 900123")
    assert score(moving, extract(moving)).risk <= score(plain, extract(plain)).risk


def test_context_boost_is_explained_and_counted() -> None:
    ad = make_ad("Massage, call 07700 900123")
    base = score(ad, extract(ad))
    boost = Contribution("persona.shared_phone", 2.0, family="persona")
    boosted = score(ad, extract(ad), context_boosts=[boost])
    assert boosted.risk > base.risk
    (part,) = [c for c in boosted.contributions if c.id == "persona.shared_phone"]
    assert part.contribution > 0
    assert math.isclose(
        sum(c.contribution for c in boosted.contributions), boosted.risk, abs_tol=1e-9
    )


def test_rule_sets_are_versioned_and_cover_four_languages() -> None:
    families = {r.family: r for r in rule_sets()}
    assert set(families) == {"deceptive_recruitment", "sexual_exploitation"}
    for rule_set in families.values():
        assert rule_set.version >= 1
        for indicator in rule_set.indicators:
            assert indicator.source and indicator.description
            if indicator.pattern is not None and "any" not in indicator.languages:
                assert {"en", "fr", "es", "pt"} <= set(indicator.languages)
