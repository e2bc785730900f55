"""The outgoing forms: permit (Appendix 4), motivated refusal (Appendix 3), and
the State Corporation's receipt of refusal to accept documents (Appendix 2 to the rules)."""
from __future__ import annotations

import datetime as dt
import enum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from models.case import Applicant, GoodsItem, Party, RequiredDocument
from models.values import CountryCode, CurrencyCode, IsoDate, Text


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class RefusalGround(int, enum.Enum):
    """The sixteen grounds for refusal (RULES.md, 'Grounds for refusal'), numbered as there."""

    prohibited_for_category = 1
    qualification_requirements = 2
    negative_state_body_answer = 3
    unreliable_documents = 4
    not_meeting_legal_requirements = 5
    damage_to_state_interests = 6
    international_obligations = 7
    negative_risk_assessment = 8
    administrative_penalty = 9
    criminal_conviction = 10
    un_sanctions_applied = 11
    un_sanctions_broken = 12
    court_suspension = 13
    court_debtor_prohibition = 14
    court_deprived_special_right = 15
    no_personal_data_consent = 16


REFUSAL_GROUND_TEXT: dict[RefusalGround, dict[str, str]] = {
    RefusalGround.prohibited_for_category: {
        "ru": "Занятие видом деятельности запрещено законами Республики Казахстан для данной категории физических или юридических лиц",
        "kk": "Қызмет түрімен айналысуға Қазақстан Республикасының заңдарында жеке немесе заңды тұлғалардың осы санаты үшін тыйым салынған",
        "en": "The law prohibits the activity for this category of person",
    },
    RefusalGround.qualification_requirements: {
        "ru": "Несоответствие услугополучателя квалификационным требованиям",
        "kk": "Көрсетілетін қызметті алушының біліктілік талаптарына сәйкес келмеуі",
        "en": "The applicant does not meet the qualification requirements",
    },
    RefusalGround.negative_state_body_answer: {
        "ru": "Отрицательный ответ уполномоченного государственного органа на запрос о согласовании, а также отрицательное заключение экспертизы, исследования или проверки",
        "kk": "Уәкілетті мемлекеттік органның келісу туралы сұрауға теріс жауабы, сондай-ақ сараптаманың, зерттеудің немесе тексерудің теріс қорытындысы",
        "en": "A negative answer from an authorised state body, or a negative conclusion of an expertise, study or inspection",
    },
    RefusalGround.unreliable_documents: {
        "ru": "Установление недостоверности документов, представленных для получения государственной услуги, и (или) данных (сведений), содержащихся в них",
        "kk": "Мемлекеттік көрсетілетін қызметті алу үшін ұсынылған құжаттардың және (немесе) олардағы деректердің (мәліметтердің) анық еместігінің анықталуы",
        "en": "The documents or the data in them are found to be unreliable",
    },
    RefusalGround.not_meeting_legal_requirements: {
        "ru": "Несоответствие услугополучателя и (или) представленных материалов, объектов, данных и сведений требованиям нормативных правовых актов",
        "kk": "Көрсетілетін қызметті алушының және (немесе) ұсынылған материалдардың, объектілердің, деректер мен мәліметтердің нормативтік құқықтық актілердің талаптарына сәйкес келмеуі",
        "en": "The applicant or the submitted materials, objects, data do not meet the requirements of legal acts",
    },
    RefusalGround.damage_to_state_interests: {
        "ru": "Нанесение ущерба или угроза нанесения ущерба интересам государства",
        "kk": "Мемлекет мүдделеріне нұқсан келтіру немесе нұқсан келтіру қаупі",
        "en": "Damage, or a threat of damage, to the interests of the state",
    },
    RefusalGround.international_obligations: {
        "ru": "Нарушение международных обязательств Республики Казахстан",
        "kk": "Қазақстан Республикасының халықаралық міндеттемелерінің бұзылуы",
        "en": "A breach of Kazakhstan's international obligations",
    },
    RefusalGround.negative_risk_assessment: {
        "ru": "Отрицательное решение по результатам оценки рисков",
        "kk": "Тәуекелдерді бағалау нәтижелері бойынша теріс шешім",
        "en": "A negative decision in the risk assessment",
    },
    RefusalGround.administrative_penalty: {
        "ru": "Наличие административного взыскания за нарушение законодательства об экспортном контроле в течение года до подачи заявления",
        "kk": "Өтініш берілгенге дейінгі бір жыл ішінде экспорттық бақылау туралы заңнаманы бұзғаны үшін әкімшілік жаза қолданылуы",
        "en": "An administrative penalty for breaking export control law within the year before the application",
    },
    RefusalGround.criminal_conviction: {
        "ru": "Наличие судимости за уголовное правонарушение в сфере экспортного контроля в течение года до подачи заявления",
        "kk": "Өтініш берілгенге дейінгі бір жыл ішінде экспорттық бақылау саласындағы қылмыстық құқық бұзушылық үшін сотталғандығы",
        "en": "A conviction for a criminal offence in export control within the year before the application",
    },
    RefusalGround.un_sanctions_applied: {
        "ru": "Применение к услугополучателю санкций Совета Безопасности ООН в течение последних пяти лет",
        "kk": "Соңғы бес жыл ішінде көрсетілетін қызметті алушыға БҰҰ Қауіпсіздік Кеңесінің санкцияларының қолданылуы",
        "en": "UN Security Council sanctions applied to the applicant within the last five years",
    },
    RefusalGround.un_sanctions_broken: {
        "ru": "Нарушение услугополучателем санкций Совета Безопасности ООН в течение последних пяти лет",
        "kk": "Соңғы бес жыл ішінде көрсетілетін қызметті алушының БҰҰ Қауіпсіздік Кеңесінің санкцияларын бұзуы",
        "en": "The applicant broke UN Security Council sanctions within the last five years",
    },
    RefusalGround.court_suspension: {
        "ru": "Вступившее в законную силу решение суда о приостановлении или запрещении деятельности, подлежащей лицензированию",
        "kk": "Лицензиялануға жататын қызметті тоқтата тұру немесе тыйым салу туралы заңды күшіне енген сот шешімі",
        "en": "A court decision in force suspends or prohibits the licensed activity",
    },
    RefusalGround.court_debtor_prohibition: {
        "ru": "Временный запрет суда на выдачу лицензии услугополучателю-должнику",
        "kk": "Соттың борышкер көрсетілетін қызметті алушыға лицензия беруге уақытша тыйым салуы",
        "en": "A court temporarily prohibited issuing a licence to the applicant as a debtor",
    },
    RefusalGround.court_deprived_special_right: {
        "ru": "Лишение услугополучателя приговором суда специального права, связанного с получением государственной услуги",
        "kk": "Көрсетілетін қызметті алушының сот үкімімен мемлекеттік қызметті алуға байланысты арнаулы құқығынан айырылуы",
        "en": "A court sentence deprives the applicant of the special right the service concerns",
    },
    RefusalGround.no_personal_data_consent: {
        "ru": "Отсутствие согласия услугополучателя на доступ к персональным данным ограниченного доступа, которые требуются для оказания государственной услуги",
        "kk": "Көрсетілетін қызметті алушының мемлекеттік қызмет көрсету үшін талап етілетін қолжетімділігі шектеулі дербес деректерге қол жеткізуге келісімінің болмауы",
        "en": "The applicant did not consent to access to restricted personal data needed for the service",
    },
}


class Permit(_Model):
    """Appendix 4, fields 1-17."""

    number: Text  # 1
    applicant: Applicant  # 2
    sender_country: CountryCode  # 3
    recipient_country: CountryCode  # 4
    end_user: Party  # 5
    contract_number: Text  # 6
    contract_date: IsoDate  # 6
    goods: list[GoodsItem] = Field(min_length=1)  # 7-11, 13
    currency: CurrencyCode  # 12
    agreed_with: list[Text] = Field(default_factory=list)  # 14
    authority_name: Text  # 15
    head_name: Text  # 15
    issued_on: IsoDate  # 15
    valid_until: IsoDate  # 15
    personal_data_consent: bool = True  # 16
    special_conditions: Text | None = None  # 17

    @model_validator(mode="after")
    def _valid_after_issue(self):
        if self.valid_until < self.issued_on:
            raise ValueError("valid_until precedes issued_on")
        return self


def permit_validity(issued_on: dt.date, document_expiries: list[dt.date | None]) -> dt.date:
    """One year from issue, capped by the earliest expiry of the documents the permit rests on.

    >>> permit_validity(dt.date(2025, 3, 1), [dt.date(2025, 12, 31), None])
    datetime.date(2025, 12, 31)
    """
    try:
        one_year = issued_on.replace(year=issued_on.year + 1)
    except ValueError:  # 29 February
        one_year = issued_on.replace(year=issued_on.year + 1, day=28)
    caps = [d for d in document_expiries if d is not None]
    return min([one_year, *caps])


class Refusal(_Model):
    """Appendix 3: motivated refusal."""

    number: Text
    issued_on: IsoDate
    addressee: Applicant
    application_number: Text
    application_date: IsoDate
    grounds: list[RefusalGround] = Field(min_length=1)
    details: Text | None = None
    signer_position: Text
    signer_name: Text


class AcceptanceRefusalReceipt(_Model):
    """Appendix 2 to the rules: the State Corporation's receipt of refusal to accept documents."""

    branch: Text
    service_name: Text = "Выдача разрешения на экстерриториальный реэкспорт товаров с особыми характеристиками"
    missing_documents: list[RequiredDocument] = Field(min_length=1)
    clerk_name: Text
    executor_name: Text
    executor_phone: Text
    applicant_name: Text
    issued_on: IsoDate
    copies: int = 2
