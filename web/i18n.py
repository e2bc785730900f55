"""Words on the screens, in Kazakh, Russian and English. The language is the visitor's choice
(a cookie), Kazakh by default; forms and documents stay bilingual whatever is chosen."""
from __future__ import annotations

LANGUAGES = ("kk", "ru", "en")
DEFAULT_LANGUAGE = "kk"

TEXT: dict[str, tuple[str, str, str]] = {  # key: (kk, ru, en)
    "app": ("Эксаумақтық кері экспортқа рұқсат", "Разрешение на экстерриториальный реэкспорт",
            "Extraterritorial re-export permit"),
    "staff_sign_in": ("Қызметкерлердің кіруі", "Вход для сотрудников", "Staff sign-in"),
    "cabinet_sign_in": ("Жеке кабинетке кіру", "Вход в личный кабинет", "Personal cabinet sign-in"),
    "username": ("Логин", "Логин", "Username"),
    "identifier": ("БСН / ЖСН", "БИН / ИИН", "BIN / IIN"),
    "password": ("Құпиясөз", "Пароль", "Password"),
    "sign_in": ("Кіру", "Войти", "Sign in"),
    "sign_out": ("Шығу", "Выйти", "Sign out"),
    "bad_login": ("Логин немесе құпиясөз қате", "Неверный логин или пароль", "Wrong username or password"),
    "queue": ("Істер кезегі", "Очередь дел", "Case queue"),
    "case": ("Іс", "Дело", "Case"),
    "status": ("Мәртебе", "Статус", "Status"),
    "channel": ("Арна", "Канал", "Channel"),
    "applicant": ("Өтініш беруші", "Заявитель", "Applicant"),
    "next_due": ("Келесі мерзім", "Ближайший срок", "Next due"),
    "received": ("Түскен күні", "Поступило", "Received"),
    "search": ("Іздеу", "Поиск", "Search"),
    "all": ("Барлығы", "Все", "All"),
    "filter": ("Сүзу", "Фильтр", "Filter"),
    "no_cases": ("Істер жоқ", "Дел нет", "No cases"),
    "save": ("Сақтау", "Сохранить", "Save"),
    "saved": ("Сақталды", "Сохранено", "Saved"),
    "fields": ("Өтініш деректері", "Данные заявления", "Application fields"),
    "goods": ("Тауарлар", "Товары", "Goods"),
    "pages": ("Беттер", "Страницы", "Pages"),
    "seal": ("Мөр", "Печать", "Seal"),
    "signature": ("Қолтаңба", "Подпись", "Signature"),
    "checks": ("Тексерулер", "Проверки", "Checks"),
    "missing_documents": ("Жоқ құжаттар", "Отсутствующие документы", "Missing documents"),
    "expired_documents": ("Мерзімі өткен құжаттар", "Просроченные документы", "Expired documents"),
    "inconsistencies": ("Құжаттар арасындағы сәйкессіздік", "Расхождения между документами",
                        "Cross-document differences"),
    "uncertified_pages": ("Куәландырылмаған беттер", "Незаверенные страницы", "Uncertified pages"),
    "all_checks_pass": ("Барлық тексеру өтті", "Все проверки пройдены", "All checks pass"),
    "history": ("Өзгерістер тарихы", "История изменений", "Change history"),
    "procedure": ("Рәсім", "Процедура", "Procedure"),
    "requests": ("Сұраулар", "Запросы", "Requests"),
    "send_request": ("Сұрау жіберу", "Отправить запрос", "Send request"),
    "state_body": ("Мемлекеттік орган", "Государственный орган", "State body"),
    "mfa_check": ("СІМ: кепілдіктің түпнұсқалығы", "МИД: подлинность гарантии", "MFA: guarantee authenticity"),
    "answer": ("Жауап", "Ответ", "Answer"),
    "positive": ("Оң", "Положительный", "Positive"),
    "negative": ("Теріс", "Отрицательный", "Negative"),
    "record_answer": ("Жауапты жазу", "Записать ответ", "Record answer"),
    "awaiting": ("Күтілуде", "Ожидается", "Awaiting"),
    "risk": ("Тәуекелдерді бағалау", "Оценка рисков", "Risk assessment"),
    "record": ("Жазу", "Записать", "Record"),
    "decision": ("Шешім", "Решение", "Decision"),
    "permit": ("Рұқсат", "Разрешение", "Permit"),
    "refusal": ("Дәлелді бас тарту", "Мотивированный отказ", "Motivated refusal"),
    "grounds": ("Бас тарту негіздері", "Основания отказа", "Grounds for refusal"),
    "details": ("Негіздеме / ерекше шарттар", "Обоснование / особые условия", "Details / special conditions"),
    "override": ("Бұзушылықтарға қарамастан шешім себебі", "Причина решения несмотря на замечания",
                 "Reason to decide despite the findings"),
    "decide": ("Шешім қабылдау", "Принять решение", "Decide"),
    "sign_issue": ("Қол қойып, жіберу", "Подписать и направить", "Sign and issue"),
    "issued_docs": ("Шығыс құжаттар", "Исходящие документы", "Outgoing documents"),
    "applicant_account": ("Өтініш берушінің кабинеті", "Кабинет заявителя", "Applicant's cabinet"),
    "create_account": ("Кабинет ашу", "Создать кабинет", "Create cabinet"),
    "name": ("Атауы", "Наименование", "Name"),
    "otp_hint": ("Бір реттік құпиясөз: өтініш берушіге беріңіз. Ол қайта көрсетілмейді.",
                 "Одноразовый пароль: передайте заявителю. Повторно не показывается.",
                 "One-time password: hand it to the applicant. It is not shown again."),
    "my_cases": ("Менің өтініштерім", "Мои заявления", "My applications"),
    "timeline": ("Барысы", "Ход рассмотрения", "Progress"),
    "download": ("Жүктеу", "Скачать", "Download"),
    "result_due": ("Нәтиже мерзімі", "Срок результата", "Result due"),
    "change_password": ("Құпиясөзді ауыстыру", "Смена пароля", "Change password"),
    "new_password": ("Жаңа құпиясөз", "Новый пароль", "New password"),
    "repeat_password": ("Құпиясөзді қайталаңыз", "Повторите пароль", "Repeat the password"),
    "passwords_differ": ("Құпиясөздер сәйкес емес", "Пароли не совпадают", "The passwords differ"),
    "not_found": ("Табылмады", "Не найдено", "Not found"),
    "forbidden": ("Рұқсат жоқ", "Доступ запрещён", "Forbidden"),
    "error": ("Қате", "Ошибка", "Error"),
    "back": ("Артқа", "Назад", "Back"),
    "page": ("Бет", "Стр.", "Page"),
    "flagged_hint": ("Enter — келесі белгіленген өріс", "Enter — следующее отмеченное поле", "Enter: next flagged field"),
    "conflict": ("Істі басқа қызметкер өзгертті. Сіздің өзгерістеріңіз сақталмады: бетті жаңартып, қайталаңыз.",
                 "Дело изменил другой сотрудник. Ваши изменения не сохранены: обновите страницу и повторите.",
                 "Another officer changed this case. Your changes were not saved: reload and try again."),
    "invalid": ("Қате мәндер: ештеңе сақталмады", "Ошибки в значениях: ничего не сохранено",
                "Invalid values: nothing was saved"),
    "welcome": ("Қош келдіңіз", "Добро пожаловать", "Welcome"),
    "for_staff": ("Қызметкерлерге", "Сотрудникам", "For staff"),
    "for_applicants": ("Өтініш берушілерге", "Заявителям", "For applicants"),
    "bound_copy": ("Тігілген көшірме", "Прошитая копия", "Bound copy"),
    "has_seal": ("Өтініш берушінің мөрі бар", "У заявителя есть печать", "Applicant has a seal"),
}

STATUS_TEXT: dict[str, tuple[str, str, str]] = {
    "received": ("Қабылданды", "Принято", "Received"),
    "processing": ("Өңделуде", "Обрабатывается", "Processing"),
    "awaiting_review": ("Қарауды күтуде", "Ожидает проверки", "Awaiting review"),
    "requests_sent": ("Сұраулар жіберілді", "Направлены запросы", "Requests sent"),
    "risk_assessed": ("Тәуекелдер бағаланды", "Риски оценены", "Risks assessed"),
    "decided": ("Шешім қабылданды", "Решение принято", "Decided"),
    "issued": ("Рұқсат берілді", "Разрешение выдано", "Permit issued"),
    "refused": ("Бас тартылды", "Отказано", "Refused"),
}

CHANNEL_TEXT: dict[str, tuple[str, str, str]] = {
    "state_corporation": ("Мемлекеттік корпорация", "Госкорпорация", "State Corporation"),
    "portal": ("Портал", "Портал", "Portal"),
}

DUE_TEXT: dict[str, tuple[str, str, str]] = {
    "completeness_due": ("Толықтығын тексеру", "Проверка полноты", "Completeness check"),
    "risk_assessment_due": ("Тәуекелдерді бағалау", "Оценка рисков", "Risk assessment"),
    "result_due": ("Нәтиже", "Результат", "Result"),
}


def pick(triple: tuple[str, str, str], lang: str) -> str:
    return triple[LANGUAGES.index(lang) if lang in LANGUAGES else 0]


def translator(lang: str):
    def t(key: str) -> str:
        return pick(TEXT[key], lang)
    return t
