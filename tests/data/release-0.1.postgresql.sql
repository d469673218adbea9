-- Deflect release 0.1: its create_all schema and the rows of release-0.1.sqlite3 (tests/data/make_release_fixture.py).
CREATE TABLE events (
	id SERIAL NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	session_id VARCHAR(32) NOT NULL, 
	kind VARCHAR(20) NOT NULL, 
	locale VARCHAR(5), 
	query VARCHAR(200), 
	slug VARCHAR(120), 
	rank INTEGER, 
	source VARCHAR(20), 
	result_count INTEGER, 
	is_zero_result BOOLEAN, 
	value VARCHAR(40), 
	comment TEXT, 
	PRIMARY KEY (id)
);

CREATE INDEX ix_events_created_at ON events (created_at);

CREATE INDEX ix_events_session_id ON events (session_id);

CREATE INDEX ix_events_kind ON events (kind);

CREATE TABLE rate_counters (
	key VARCHAR(64) NOT NULL, 
	"window" INTEGER NOT NULL, 
	count INTEGER NOT NULL, 
	PRIMARY KEY (key, "window")
);

CREATE TABLE tickets (
	id SERIAL NOT NULL, 
	reference VARCHAR(12) NOT NULL, 
	idempotency_key VARCHAR(255) NOT NULL, 
	fingerprint VARCHAR(64) NOT NULL, 
	status VARCHAR(20) NOT NULL, 
	category VARCHAR(20) NOT NULL, 
	subject VARCHAR(200) NOT NULL, 
	locale VARCHAR(5) NOT NULL, 
	email VARCHAR(254) NOT NULL, 
	name VARCHAR(100) NOT NULL, 
	phone VARCHAR(40) NOT NULL, 
	session_id VARCHAR(32), 
	source_article VARCHAR(200), 
	trail JSON NOT NULL, 
	rating INTEGER, 
	rating_comment TEXT, 
	reopen_count INTEGER NOT NULL, 
	consented_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	updated_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (reference), 
	UNIQUE (idempotency_key)
);

CREATE INDEX ix_tickets_created_at ON tickets (created_at);

CREATE INDEX ix_tickets_status ON tickets (status);

CREATE TABLE ticket_messages (
	id SERIAL NOT NULL, 
	ticket_id INTEGER NOT NULL, 
	author VARCHAR(20) NOT NULL, 
	body TEXT NOT NULL, 
	links JSON NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(ticket_id) REFERENCES tickets (id) ON DELETE CASCADE
);

CREATE INDEX ix_ticket_messages_ticket_id ON ticket_messages (ticket_id);

CREATE TABLE ticket_attachments (
	id SERIAL NOT NULL, 
	public_id VARCHAR(32) NOT NULL, 
	ticket_id INTEGER NOT NULL, 
	storage_name VARCHAR(64) NOT NULL, 
	display_name VARCHAR(255) NOT NULL, 
	content_type VARCHAR(40) NOT NULL, 
	size INTEGER NOT NULL, 
	width INTEGER NOT NULL, 
	height INTEGER NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (public_id), 
	FOREIGN KEY(ticket_id) REFERENCES tickets (id) ON DELETE CASCADE, 
	UNIQUE (storage_name)
);

CREATE INDEX ix_ticket_attachments_ticket_id ON ticket_attachments (ticket_id);

CREATE TABLE ticket_links (
	id SERIAL NOT NULL, 
	ticket_id INTEGER NOT NULL, 
	token_hash VARCHAR(64) NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	expires_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(ticket_id) REFERENCES tickets (id) ON DELETE CASCADE, 
	UNIQUE (token_hash)
);

CREATE INDEX ix_ticket_links_ticket_id ON ticket_links (ticket_id);

INSERT INTO events ("id", "created_at", "session_id", "kind", "locale", "query", "slug", "rank", "source", "result_count", "is_zero_result", "value", "comment") VALUES (1, '2026-11-20 09:27:00.000000', '0123456789abcdef0123456789abcdef', 'search', 'ko', '결제 오류', NULL, NULL, NULL, 4, false, NULL, NULL);

INSERT INTO events ("id", "created_at", "session_id", "kind", "locale", "query", "slug", "rank", "source", "result_count", "is_zero_result", "value", "comment") VALUES (2, '2026-11-20 09:28:00.000000', '0123456789abcdef0123456789abcdef', 'click', 'ko', '결제 오류', 'payment-failed', 1, 'search', NULL, NULL, NULL, NULL);

INSERT INTO events ("id", "created_at", "session_id", "kind", "locale", "query", "slug", "rank", "source", "result_count", "is_zero_result", "value", "comment") VALUES (3, '2026-11-20 09:29:00.000000', '0123456789abcdef0123456789abcdef', 'vote', 'ko', NULL, 'payment-failed', NULL, NULL, NULL, NULL, 'no', '이용권이 여전히 없음');

INSERT INTO events ("id", "created_at", "session_id", "kind", "locale", "query", "slug", "rank", "source", "result_count", "is_zero_result", "value", "comment") VALUES (4, '2026-11-20 09:30:00.000000', '0123456789abcdef0123456789abcdef', 'ticket', 'ko', NULL, 'payment-failed', NULL, NULL, NULL, NULL, 'DF-7K3Q-9XM4', NULL);

INSERT INTO events ("id", "created_at", "session_id", "kind", "locale", "query", "slug", "rank", "source", "result_count", "is_zero_result", "value", "comment") VALUES (5, '2026-11-20 09:31:00.000000', 'fedcba9876543210fedcba9876543210', 'search', 'en', 'qwertyuiop', NULL, NULL, NULL, 0, true, NULL, NULL);

SELECT setval(pg_get_serial_sequence('events', 'id'), (SELECT max(id) FROM events));

INSERT INTO rate_counters ("key", "window", "count") VALUES ('eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee', 493609, 2);

INSERT INTO rate_counters ("key", "window", "count") VALUES ('ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff', 20566, 1);

INSERT INTO tickets ("id", "reference", "idempotency_key", "fingerprint", "status", "category", "subject", "locale", "email", "name", "phone", "session_id", "source_article", "trail", "rating", "rating_comment", "reopen_count", "consented_at", "created_at", "updated_at") VALUES (1, 'DF-7K3Q-9XM4', 'key-ko-1', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'proposed', 'payment', '결제했는데 이용권이 안 보여요', 'ko', '민지@example.com', '김민지', '010-1234-5678', '0123456789abcdef0123456789abcdef', 'payment-failed', '[{"kind": "search", "query": "결제 오류", "locale": "ko"}, {"kind": "view", "slug": "payment-failed", "locale": "ko"}]', NULL, NULL, 0, '2026-11-20 09:30:00.000000', '2026-11-20 09:30:00.000000', '2026-11-20 11:30:00.000000');

INSERT INTO tickets ("id", "reference", "idempotency_key", "fingerprint", "status", "category", "subject", "locale", "email", "name", "phone", "session_id", "source_article", "trail", "rating", "rating_comment", "reopen_count", "consented_at", "created_at", "updated_at") VALUES (2, 'DF-2B5C-8DNP', 'key-en-1', 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', 'closed', 'account', 'Can''t sign in after changing my phone', 'en', 'sam@example.com', '', '', NULL, NULL, '[]', 5, 'Fixed, thanks — 감사합니다', 1, '2026-11-20 09:30:00.000000', '2026-11-20 09:35:00.000000', '2026-11-21 09:30:00.000000');

SELECT setval(pg_get_serial_sequence('tickets', 'id'), (SELECT max(id) FROM tickets));

INSERT INTO ticket_attachments ("id", "public_id", "ticket_id", "storage_name", "display_name", "content_type", "size", "width", "height", "created_at") VALUES (1, 'pub-ko-receipt-01', 1, '0f3a9c2e.png', '영수증 캡처.png', 'image/png', 48213, 1080, 1920, '2026-11-20 09:30:00.000000');

SELECT setval(pg_get_serial_sequence('ticket_attachments', 'id'), (SELECT max(id) FROM ticket_attachments));

INSERT INTO ticket_links ("id", "ticket_id", "token_hash", "created_at", "expires_at") VALUES (1, 1, 'cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc', '2026-11-20 09:30:00.000000', '2027-05-19 09:30:00.000000');

INSERT INTO ticket_links ("id", "ticket_id", "token_hash", "created_at", "expires_at") VALUES (2, 2, 'dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd', '2026-11-20 09:30:00.000000', '2027-05-19 09:30:00.000000');

SELECT setval(pg_get_serial_sequence('ticket_links', 'id'), (SELECT max(id) FROM ticket_links));

INSERT INTO ticket_messages ("id", "ticket_id", "author", "body", "links", "created_at") VALUES (1, 1, 'customer', '어제 결제했는데 앱에 이용권이 없어요.
영수증 첨부합니다.', '[]', '2026-11-20 09:30:00.000000');

INSERT INTO ticket_messages ("id", "ticket_id", "author", "body", "links", "created_at") VALUES (2, 1, 'agent', '확인해 보니 결제가 아직 승인 중이에요. 아래 글을 참고해 주세요.', '["payment-failed", "refund"]', '2026-11-20 11:30:00.000000');

INSERT INTO ticket_messages ("id", "ticket_id", "author", "body", "links", "created_at") VALUES (3, 2, 'customer', 'I switched phones and the code never arrives. <b>not bold</b> & done', '[]', '2026-11-20 09:35:00.000000');

INSERT INTO ticket_messages ("id", "ticket_id", "author", "body", "links", "created_at") VALUES (4, 2, 'agent', 'Please try the steps here.', '["login-trouble"]', '2026-11-20 14:30:00.000000');

SELECT setval(pg_get_serial_sequence('ticket_messages', 'id'), (SELECT max(id) FROM ticket_messages));

