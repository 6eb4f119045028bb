"""Phrase pools for ads in English, French, Spanish and Portuguese.

Deceptive job ads carry the recruitment red flags (pay far above the market with no
experience, travel and visa "paid", fees, urgency, messaging-only contact, passports
kept, age cues); honest ads carry contracts, licences, realistic pay and legally
disclosed fees. Slots: {job} {city} {dest} {wage} {fee} {contact} {lic} {age} {ethnic}.
"""

from __future__ import annotations

JOBS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "construction": ("construction workers", "builders", "scaffolders", "site labourers"),
        "agriculture": ("fruit pickers", "farm workers", "greenhouse staff"),
        "fishing": ("deckhands", "fishing crew", "boat crew"),
        "domestic_work": ("housemaids", "nannies", "caregivers", "housekeepers"),
        "hospitality": ("waitresses", "hotel staff", "kitchen helpers", "bar hostesses"),
        "manufacturing": ("factory workers", "packers", "machine operators"),
        "online_scam": ("customer service agents", "typing job staff", "online sales agents"),
        "sex": ("models", "dancers", "hostesses", "massage therapists"),
        "drug_running": ("delivery drivers", "couriers"),
        "general": ("general workers", "helpers", "cleaners"),
    },
    "fr": {
        "construction": ("ouvriers du bâtiment", "maçons", "manœuvres"),
        "agriculture": ("cueilleurs de fruits", "ouvriers agricoles", "saisonniers"),
        "fishing": ("marins pêcheurs", "matelots"),
        "domestic_work": ("femmes de ménage", "nounous", "aides à domicile"),
        "hospitality": ("serveuses", "personnel d'hôtel", "commis de cuisine", "hôtesses"),
        "manufacturing": ("ouvriers d'usine", "emballeurs", "opérateurs"),
        "online_scam": ("agents de service client", "télévendeurs", "opérateurs de saisie"),
        "sex": ("mannequins", "danseuses", "hôtesses", "masseuses"),
        "drug_running": ("livreurs", "coursiers"),
        "general": ("agents polyvalents", "aides", "agents d'entretien"),
    },
    "es": {
        "construction": ("obreros de construcción", "albañiles", "peones"),
        "agriculture": ("recolectores de fruta", "jornaleros", "trabajadores agrícolas"),
        "fishing": ("marineros", "tripulantes de pesca"),
        "domestic_work": ("empleadas domésticas", "niñeras", "cuidadoras"),
        "hospitality": ("meseras", "personal de hotel", "ayudantes de cocina", "anfitrionas"),
        "manufacturing": ("operarios de fábrica", "empacadores"),
        "online_scam": ("agentes de atención al cliente", "teleoperadores"),
        "sex": ("modelos", "bailarinas", "anfitrionas", "masajistas"),
        "drug_running": ("repartidores", "mensajeros"),
        "general": ("trabajadores generales", "ayudantes", "limpiadores"),
    },
    "pt": {
        "construction": ("pedreiros", "serventes de obra", "trabalhadores da construção"),
        "agriculture": ("apanhadores de fruta", "trabalhadores rurais"),
        "fishing": ("pescadores", "tripulantes"),
        "domestic_work": ("empregadas domésticas", "babás", "cuidadoras"),
        "hospitality": ("garçonetes", "camareiras", "ajudantes de cozinha", "recepcionistas"),
        "manufacturing": ("operários", "embaladores"),
        "online_scam": ("atendentes de suporte", "operadores de telemarketing"),
        "sex": ("modelos", "dançarinas", "acompanhantes de eventos", "massagistas"),
        "drug_running": ("entregadores", "motoboys"),
        "general": ("auxiliares", "ajudantes gerais", "faxineiras"),
    },
}

# Deceptive recruitment: each key is one red flag; the first key is the headline.
DECEPTIVE: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "title": (
            "{job} needed in {dest}! Travel paid",
            "URGENT: {job} for {dest}",
            "Work abroad in {dest} - {job} wanted",
            "{dest} jobs: {job}, start now",
        ),
        "pay": (
            "Earn {wage} per month, no experience needed.",
            "Salary {wage}/month, no skills or English required.",
            "Good money: {wage} monthly + bonus, no experience.",
        ),
        "travel": (
            "Visa, flight and accommodation paid by employer.",
            "We pay your ticket and visa, you repay from salary.",
            "Free housing and transport, ticket advanced by the company.",
        ),
        "fee": (
            "Small processing fee {fee} for documents.",
            "Registration fee {fee} only.",
            "Pay {fee} for medical and visa processing.",
        ),
        "urgent": (
            "Leave this week!",
            "Only 10 places, departure in 7 days.",
            "Urgent, travel immediately.",
        ),
        "visa": (
            "Tourist visa is enough, work permit arranged there.",
            "No work permit needed, we handle everything on arrival.",
        ),
        "docs": (
            "Employer keeps passports for your safety.",
            "Bring your passport, the agency will keep it during the contract.",
        ),
        "contract": ("Contract signed on arrival.", "No contract needed before travel."),
        "age": (
            "{age}+ welcome.",
            "Young girls and boys from {age} welcome.",
            "Age {age} and up ok.",
        ),
        "contact": (
            "Contact only on WhatsApp {contact}.",
            "Telegram {contact} - no calls.",
            "Message {contact} now.",
            "Call or text {contact}.",
        ),
    },
    "fr": {
        "title": (
            "{job} recherchés à {dest} ! Voyage payé",
            "URGENT : {job} pour {dest}",
            "Travailler à {dest} – recrutement {job}",
            "Emplois {dest} : {job}",
        ),
        "pay": (
            "Gagnez {wage} par mois, sans expérience.",
            "Salaire {wage}/mois, aucun diplôme exigé.",
            "Bien payé : {wage} par mois + primes, débutants acceptés.",
        ),
        "travel": (
            "Visa, billet d'avion et logement payés par l'employeur.",
            "Nous avançons le billet et le visa, remboursés sur le salaire.",
        ),
        "fee": ("Petits frais de dossier {fee}.", "Frais d'inscription {fee} seulement."),
        "urgent": ("Départ cette semaine !", "Places limitées, départ sous 7 jours."),
        "visa": ("Un visa touriste suffit, le permis de travail est fait sur place.",),
        "docs": ("L'employeur garde les passeports pour votre sécurité.",),
        "contract": ("Contrat signé à l'arrivée.", "Pas besoin de contrat avant le départ."),
        "age": ("À partir de {age} ans.", "Jeunes de {age} ans bienvenus."),
        "contact": (
            "Contact uniquement WhatsApp {contact}.",
            "Telegram {contact}, pas d'appel.",
            "Écrivez au {contact}.",
        ),
    },
    "es": {
        "title": (
            "Se buscan {job} en {dest}. Viaje pagado",
            "URGENTE: {job} para {dest}",
            "Trabaja en {dest}: {job}",
            "Empleo en {dest} para {job}",
        ),
        "pay": (
            "Gana {wage} al mes, sin experiencia.",
            "Sueldo {wage}/mes, no se requiere experiencia ni idioma.",
        ),
        "travel": (
            "Visa, pasaje y alojamiento pagados por el empleador.",
            "Adelantamos el pasaje y la visa, se descuenta del sueldo.",
        ),
        "fee": ("Pequeña cuota de trámite {fee}.", "Solo {fee} de inscripción."),
        "urgent": ("¡Salida esta semana!", "Cupos limitados, viaje inmediato."),
        "visa": ("Basta visa de turista, el permiso se tramita allá.",),
        "docs": ("El empleador guarda los pasaportes por seguridad.",),
        "contract": ("Contrato al llegar.", "No hace falta contrato antes de viajar."),
        "age": ("Desde {age} años.", "Jóvenes desde {age} años bienvenidos."),
        "contact": (
            "Solo WhatsApp {contact}.",
            "Telegram {contact}, sin llamadas.",
            "Escribe al {contact}.",
        ),
    },
    "pt": {
        "title": (
            "Precisa-se de {job} em {dest}! Viagem paga",
            "URGENTE: {job} para {dest}",
            "Trabalhe em {dest} – vagas para {job}",
        ),
        "pay": (
            "Ganhe {wage} por mês, sem experiência.",
            "Salário {wage}/mês, não precisa de experiência.",
        ),
        "travel": (
            "Visto, passagem e moradia pagos pelo empregador.",
            "Adiantamos passagem e visto, descontados do salário.",
        ),
        "fee": ("Pequena taxa de {fee} para os documentos.", "Taxa de inscrição {fee}."),
        "urgent": ("Embarque esta semana!", "Vagas limitadas, viagem imediata."),
        "visa": ("Visto de turista basta, a autorização de trabalho sai lá.",),
        "docs": ("O patrão guarda os passaportes por segurança.",),
        "contract": ("Contrato assinado na chegada.",),
        "age": ("A partir de {age} anos.", "Jovens a partir de {age} anos."),
        "contact": (
            "Só WhatsApp {contact}.",
            "Telegram {contact}, sem ligações.",
            "Chama no {contact}.",
        ),
    },
}

HONEST: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "title": (
            "{job} - {city}",
            "Hiring {job} in {city}",
            "{job} wanted ({city})",
            "Overseas placement: {job} for {dest}",
        ),
        "pay": (
            "Pay {wage} per month gross, overtime paid by law.",
            "Hourly rate in line with the collective agreement ({wage}/month full time).",
        ),
        "terms": (
            "Written contract before you start.",
            "Permanent position after probation.",
            "Work permit sponsored; contract reviewed by the embassy before departure.",
        ),
        "req": (
            "At least 2 years' experience.",
            "References required.",
            "Valid work permit or right to work required.",
            "Driving licence an advantage.",
        ),
        "agency": (
            "Licensed recruitment agency, licence no. {lic}.",
            "Placement fee {fee} as permitted by law; receipt provided.",
            "No fees charged to workers; the employer pays our service fee.",
        ),
        "contact": (
            "Apply at {contact}.",
            "Call {contact} (Mon-Fri 9-17).",
            "Send your CV to {contact}.",
        ),
    },
    "fr": {
        "title": ("{job} – {city}", "Recrute {job} à {city}", "Placement à l'étranger : {job}"),
        "pay": ("Salaire {wage} brut par mois, heures supplémentaires payées.",),
        "terms": ("Contrat écrit avant la prise de poste.", "CDI après période d'essai."),
        "req": (
            "Expérience de 2 ans minimum.",
            "Références exigées.",
            "Titre de séjour valide exigé.",
        ),
        "agency": (
            "Agence de placement agréée, licence n° {lic}.",
            "Frais de placement {fee} conformément à la loi, reçu fourni.",
            "Aucun frais pour le candidat.",
        ),
        "contact": ("Postulez à {contact}.", "Appelez le {contact} (lun-ven 9h-17h)."),
    },
    "es": {
        "title": ("{job} – {city}", "Contratamos {job} en {city}", "Empleo en el exterior: {job}"),
        "pay": ("Sueldo {wage} brutos al mes, horas extra pagadas.",),
        "terms": ("Contrato por escrito antes de empezar.", "Puesto fijo tras periodo de prueba."),
        "req": ("Experiencia mínima de 2 años.", "Se piden referencias."),
        "agency": (
            "Agencia de colocación autorizada, licencia {lic}.",
            "Tarifa de colocación {fee} según la ley, con recibo.",
            "Sin costo para el trabajador.",
        ),
        "contact": ("Postula en {contact}.", "Llama al {contact} (lun-vie 9-17)."),
    },
    "pt": {
        "title": ("{job} – {city}", "Contratamos {job} em {city}", "Vagas no exterior: {job}"),
        "pay": ("Salário {wage} bruto por mês, horas extras pagas.",),
        "terms": ("Contrato escrito antes do início.", "Carteira assinada."),
        "req": ("Experiência mínima de 2 anos.", "Referências exigidas."),
        "agency": (
            "Agência de emprego licenciada, licença {lic}.",
            "Taxa de colocação {fee} conforme a lei, com recibo.",
            "Sem custos para o candidato.",
        ),
        "contact": ("Candidate-se em {contact}.", "Ligue {contact} (seg-sex 9-17h)."),
    },
}

# Sexual-services ads. Trafficking ads lean on obscured phones, youth language,
# stated ethnicity and "trustworthy" wording; independent adults' ads more often
# use movement language and client screening (NIJ, Lugo-Graulich et al. 2024).
ESCORT: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "title": (
            "Sweet {ethnic} girl 🌹 {city}",
            "Young fresh {ethnic} beauty 💗",
            "New sweet angel in {city} 🍒",
            "{ethnic} doll, real pics 👑",
        ),
        "body": (
            "Very young and sweet, barely legal.",
            "100% real and trustworthy, no rush.",
            "Petite {ethnic} girl, just arrived.",
            "Discreet and safe, you can trust me.",
        ),
        "price": ("{roses} roses/hr 🌹", "Donation {roses} 🌹", "Specials today only."),
        "contact": ("Text {contact}", "Call {contact} ☎", "Txt only {contact}"),
        "indep_title": (
            "Independent companion, {city}",
            "Mature & classy in {city}",
            "Visiting {city} this week",
        ),
        "indep_body": (
            "Independent adult, {age}. Incall only.",
            "Screening required for new friends.",
            "New in town, leaving soon - book ahead.",
            "Respectful gentlemen only.",
        ),
    },
    "fr": {
        "title": ("Jeune {ethnic} douce 🌹 {city}", "Nouvelle à {city} 💗"),
        "body": ("Très jeune et câline.", "Sérieuse et de confiance, 100% réelle."),
        "price": ("{roses} roses 🌹",),
        "contact": ("SMS {contact}", "Appelle {contact}"),
        "indep_title": ("Accompagnatrice indépendante, {city}",),
        "indep_body": (
            "Indépendante, {age} ans. Sur rendez-vous, vérification demandée.",
            "De passage à {city} cette semaine.",
        ),
    },
    "es": {
        "title": ("Jovencita {ethnic} 🌹 {city}", "Nueva en {city} 💗"),
        "body": ("Muy jovencita y dulce.", "Real y de confianza, sin prisas."),
        "price": ("{roses} rosas 🌹",),
        "contact": ("WhatsApp {contact}", "Llama {contact}"),
        "indep_title": ("Acompañante independiente, {city}",),
        "indep_body": (
            "Independiente, {age} años. Solo con cita previa y verificación.",
            "De visita en {city} esta semana.",
        ),
    },
    "pt": {
        "title": ("Novinha {ethnic} 🌹 {city}", "Nova em {city} 💗"),
        "body": ("Bem novinha e carinhosa.", "Real e de confiança, sem pressa."),
        "price": ("{roses} rosas 🌹",),
        "contact": ("Zap {contact}", "Liga {contact}"),
        "indep_title": ("Acompanhante independente, {city}",),
        "indep_body": (
            "Independente, {age} anos. Só com hora marcada e verificação.",
            "De passagem por {city} esta semana.",
        ),
    },
}

ETHNIC = {
    "en": ("Latina", "Asian", "Ebony", "Russian", "Brazilian", "Ukrainian"),
    "fr": ("latine", "asiatique", "africaine", "russe", "brésilienne"),
    "es": ("latina", "asiática", "rusa", "brasileña", "colombiana"),
    "pt": ("latina", "asiática", "russa", "brasileira", "angolana"),
}
CATEGORY = {
    "en": ("Jobs", "Jobs abroad", "Work", "Help wanted"),
    "fr": ("Emploi", "Offres d'emploi", "Emploi à l'étranger"),
    "es": ("Empleo", "Trabajo", "Empleo en el extranjero"),
    "pt": ("Empregos", "Vagas", "Trabalho no exterior"),
}
ADULT_CATEGORY = {
    "en": ("Adult", "Massage", "Dating"),
    "fr": ("Rencontres", "Massages"),
    "es": ("Contactos", "Masajes"),
    "pt": ("Acompanhantes", "Massagens"),
}
