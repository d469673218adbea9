"""The words of the contact and status pages, in Korean and English.

They live here rather than in the shared gettext catalogue so the ticket pages can change
without touching another area's files; ``tests/web/test_tickets.py`` checks both languages have
every key. Templates call ``t("key")``.
"""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "contact_title": "Contact us",
        "contact_intro": "Tell us what happened. Matching help articles appear as you type: "
                         "one of them may answer it right away.",
        "channels": "Other ways to reach us",
        "phone": "Phone", "email_channel": "Email", "messenger": "Chat", "hours": "Hours",
        "hours_zone": "(Korea time)",
        "open_now": "Open now", "closed_now": "Closed now",
        "category": "What is it about?", "choose": "Choose a topic",
        "cat_account": "Account and login", "cat_payment": "Payment", "cat_refund": "Refund",
        "cat_subscription": "Subscription", "cat_playback": "Playback and app errors",
        "cat_complaint": "Complaint", "cat_other": "Something else",
        "subject": "Subject", "description": "What happened?",
        "description_hint": "What you did, what you expected, and what you saw instead.",
        "email": "Email (we answer here)", "name": "Name (optional)",
        "phone_field": "Phone (optional)",
        "screenshots": "Screenshots (optional)",
        "screenshots_hint": "Up to 5 images (PNG, JPEG, GIF or WebP), 5 MB each.",
        "attached": "Attached", "remove": "Remove",
        "consent": "I agree that my email, name, phone and the details above are used to "
                   "answer this request.",
        "consent_detail": "Purpose: answering your request and contacting you about it. "
                          "Kept for 3 years after the request is resolved, then deleted.",
        "honeypot": "Leave this field empty",
        "review_button": "Review", "errors_title": "Please check the fields marked below.",
        "suggestions": "These articles may answer it",
        "review_title": "Check your request before sending",
        "review_intro": "Nothing is sent until you choose Send.",
        "edit": "Edit", "send": "Send",
        "rate_limited": "You have sent many requests recently. Please wait a little and send "
                        "again: everything you typed is still here.",
        "conflict": "This form was already sent once. Send it again as a new request?",
        "sent_title": "Thank you: we received your request",
        "status_title": "Your request {reference}",
        "created_notice": "We received your request. A confirmation with this page's private "
                          "link was sent to {email}.",
        "step_received": "Received", "step_investigating": "Investigating",
        "step_proposed": "Solution proposed", "step_resolved": "Resolved",
        "current_step": "current step",
        "conversation": "Conversation", "you": "You", "support": "Support",
        "linked_articles": "Articles that may help",
        "follow_up": "Add a message", "follow_up_button": "Send message",
        "solved_question": "Did this solve your problem?",
        "solved": "Yes, it is solved", "rating": "How was our help? (1 = poor, 5 = great)",
        "comment": "Comment (optional)", "not_solved": "No, it is still not solved",
        "not_solved_hint": "Tell us what is still wrong (optional).",
        "closed_notice": "This request is closed. Thank you for your rating ({rating}/5).",
        "message_required": "Please write a message.",
        "message_too_long": "This is too long: at most 20,000 characters.",
        "rating_required": "Choose a rating from 1 to 5.",
        "closed_error": "This request is closed; please open a new one.",
        "state_error": "This request has moved on; the page now shows where it is.",
        "attachments": "Screenshots",
    },
    "ko": {
        "contact_title": "문의하기",
        "contact_intro": "어떤 문제가 있는지 알려 주세요. 입력하는 동안 관련 도움말이 표시되니, "
                         "바로 해결되는지 확인해 보세요.",
        "channels": "다른 문의 방법",
        "phone": "전화", "email_channel": "이메일", "messenger": "채팅 상담", "hours": "운영 시간",
        "hours_zone": "(한국 시간)",
        "open_now": "지금 상담 가능", "closed_now": "지금은 운영 시간이 아닙니다",
        "category": "문의 유형", "choose": "유형을 선택해 주세요",
        "cat_account": "계정·로그인", "cat_payment": "결제", "cat_refund": "환불",
        "cat_subscription": "구독", "cat_playback": "재생·앱 오류",
        "cat_complaint": "불편 신고", "cat_other": "기타",
        "subject": "제목", "description": "문의 내용",
        "description_hint": "무엇을 하셨는지, 어떻게 되기를 기대하셨는지, "
                            "실제로 어떻게 되었는지 알려 주세요.",
        "email": "이메일 (답변 받을 주소)", "name": "이름 (선택)",
        "phone_field": "전화번호 (선택)",
        "screenshots": "스크린샷 (선택)",
        "screenshots_hint": "PNG, JPEG, GIF, WebP 이미지 5개까지, 파일당 5MB 이하.",
        "attached": "첨부됨", "remove": "삭제",
        "consent": "문의 답변을 위해 이메일, 이름, 전화번호와 문의 내용을 "
                   "수집·이용하는 데 동의합니다.",
        "consent_detail": "이용 목적: 문의 답변 및 관련 연락. "
                          "보유 기간: 문의 해결 후 3년, 이후 파기.",
        "honeypot": "이 칸은 비워 두세요",
        "review_button": "확인하기", "errors_title": "아래 표시된 항목을 확인해 주세요.",
        "suggestions": "이 도움말이 도움이 될 수 있습니다",
        "review_title": "보내기 전에 문의 내용을 확인해 주세요",
        "review_intro": "보내기를 누르기 전에는 전송되지 않습니다.",
        "edit": "수정", "send": "보내기",
        "rate_limited": "최근에 문의를 많이 보내셨습니다. 잠시 후 다시 보내 주세요. "
                        "입력하신 내용은 그대로 남아 있습니다.",
        "conflict": "이 양식은 이미 한 번 전송되었습니다. 새 문의로 다시 보내시겠어요?",
        "sent_title": "감사합니다. 문의가 접수되었습니다",
        "status_title": "문의 {reference}",
        "created_notice": "문의가 접수되었습니다. "
                          "이 페이지의 전용 링크를 {email} 주소로 보내 드렸습니다.",
        "step_received": "접수", "step_investigating": "확인 중",
        "step_proposed": "해결책 안내", "step_resolved": "해결",
        "current_step": "현재 단계",
        "conversation": "대화", "you": "고객님", "support": "고객센터",
        "linked_articles": "도움이 될 만한 도움말",
        "follow_up": "메시지 추가", "follow_up_button": "메시지 보내기",
        "solved_question": "문제가 해결되었나요?",
        "solved": "네, 해결되었습니다", "rating": "상담은 어떠셨나요? (1 = 아쉬움, 5 = 매우 만족)",
        "comment": "의견 (선택)", "not_solved": "아니요, 아직 해결되지 않았습니다",
        "not_solved_hint": "아직 무엇이 문제인지 알려 주세요 (선택).",
        "closed_notice": "종료된 문의입니다. 평가해 주셔서 감사합니다 ({rating}/5).",
        "message_required": "메시지를 입력해 주세요.",
        "message_too_long": "너무 깁니다. 20,000자 이내로 입력해 주세요.",
        "rating_required": "1에서 5 사이의 점수를 선택해 주세요.",
        "closed_error": "종료된 문의입니다. 새 문의를 남겨 주세요.",
        "state_error": "문의 상태가 바뀌었습니다. 현재 상태를 표시합니다.",
        "attachments": "스크린샷",
    },
}


def text(locale: str, key: str, **values: object) -> str:
    """The sentence ``key`` in ``locale`` (English if the locale is unknown), formatted."""
    sentence = TEXT.get(locale, TEXT["en"])[key]
    return sentence.format(**values) if values else sentence
