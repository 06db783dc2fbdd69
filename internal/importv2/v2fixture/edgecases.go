package v2fixture

import "fmt"

// Edge-case fixture: the rows the import's tests cover (issue 13).
const (
	OperatorID       = "0b9a4c1e-1111-4a5b-9c2d-000000000001"
	OperatorUsername = "operator_a"
	// OperatorPassword is what OperatorHash (cost 4) hashes: the imported
	// account must log in with it.
	OperatorPassword = "rahasia-lama-1"
	BadHashID        = "0b9a4c1e-1111-4a5b-9c2d-000000000002"
	PendingID        = "0b9a4c1e-1111-4a5b-9c2d-000000000003"
	// Penmas accounts: their hash is OperatorHash too (they log in with
	// OperatorPassword).
	PenmasWriterID   = "9a000000-0000-4000-8000-000000000001"
	PenmasWriterName = "penulis_a"
	PenmasEditorID   = "9a000000-0000-4000-8000-000000000002"
	PenmasEditorName = "editor_b"
	PenmasBadHashID  = "9a000000-0000-4000-8000-000000000003"
)

// EdgeCases are the statements filling the old tables: handles typed with
// '@', case, spaces and as a profile link; an exempt and an inactive
// person; an orphan; an invalid NRP; a handle held by two people; an
// unknown role; posts at 23:59 and 00:01 Jakarta in both platforms'
// conventions (Instagram as Jakarta wall time, TikTok as UTC wall time);
// likes and comments in each stored shape; a dashboard account with a
// bcrypt hash, one with a broken hash, one pending; an active and an
// expired subscription. operatorHash is the bcrypt hash of
// OperatorPassword.
func EdgeCases(operatorHash string) []string {
	return []string{
		`INSERT INTO clients (client_id, nama, client_type, client_insta, client_tiktok, client_operator, client_group, parent_client_id, client_level, client_super) VALUES
			('POLDA_JATIM', 'POLDA JAWA TIMUR', 'polda', '', '', '', '', NULL, 'polda', ''),
			('POLRES_A', 'POLRES A', 'org', 'polres_a', '@polres_a', '081200000001', '120363000000000001@g.us', 'POLDA_JATIM', 'satker', '081200000009'),
			('POLRES_B', 'POLRES B', 'ORG', 'polres_b', 'polres_b', '', '', 'POLDA_JATIM', 'satker', ''),
			('DITBINMAS', 'DIREKTORAT BINMAS', 'direktorat', 'ditbinmas_jatim', 'ditbinmas', '', '', 'POLDA_JATIM', 'direktorat', '')`,
		`INSERT INTO "user" (user_id, nama, title, divisi, jabatan, insta, tiktok, whatsapp, email, client_id, status, exception, wa_notification_opt_in, created_at) VALUES
			('75020001', 'Budi Santoso', 'aipda', 'sat binmas', 'banit', '@Budi.Santoso ', '@Budi_TT', '081234567801', 'budi@polri.test', 'POLRES_A', true, false, true, '2024-03-01 08:00:00+07'),
			('75020002', 'Siti', 'bripka', 'sat binmas', 'banit', 'SITI_A', 'siti_tt', '', NULL, 'POLRES_A', true, true, false, '2024-03-01 08:00:00+07'),
			('75020003', 'Andi', 'brigpol', 'sat lantas', 'banit', 'andi', '', '', NULL, 'POLRES_A', false, false, false, '2024-03-01 08:00:00+07'),
			('75020004', 'Rina', 'ipda', 'sat binmas', 'paur', 'https://www.instagram.com/rina.ig/', '', '6281234567804', NULL, 'POLRES_A', true, false, false, '2024-03-02 08:00:00+07'),
			('75020005', 'Dodi', 'bripda', 'sat reskrim', 'banit', 'BUDI.SANTOSO', '', '', NULL, 'POLRES_B', true, false, false, '2024-03-02 08:00:00+07'),
			('NRP-12ab', 'Salah', 'bripda', 'x', 'x', '', '', '', NULL, 'POLRES_A', true, false, false, '2024-03-02 08:00:00+07'),
			('75020007', 'Yatim', 'bripda', 'x', 'x', 'yatim', '', '', NULL, 'POLRES_X', true, false, false, '2024-03-02 08:00:00+07'),
			('75020008', 'Joko', 'brigpol', 'sat binmas', 'banit', 'joko', '', '', NULL, 'POLRES_B', true, false, false, '2024-03-02 08:00:00+07')`,
		`INSERT INTO user_roles (user_id, role_id) SELECT u, r.role_id FROM (VALUES
			('75020001', 'operator'), ('75020002', 'operator'), ('75020003', 'operator'), ('75020004', 'operator'), ('75020004', 'ditbinmas'),
			('75020008', 'operator'), ('75020008', 'admin')) v(u, n)
			JOIN roles r ON r.role_name = v.n`,
		fmt.Sprintf(`INSERT INTO dashboard_user (dashboard_user_id, username, password_hash, role_id, status, whatsapp, created_at) VALUES
			('%s', '%s', '%s', (SELECT role_id FROM roles WHERE role_name = 'operator'), true, '081200000001', '2025-01-10 09:00:00'),
			('%s', 'bad_hash', 'plaintext-password', (SELECT role_id FROM roles WHERE role_name = 'operator'), true, NULL, '2025-01-10 09:00:00'),
			('%s', 'pending_binmas', '%s', (SELECT role_id FROM roles WHERE role_name = 'ditbinmas'), false, '081200000003', '2025-01-11 09:00:00')`,
			OperatorID, OperatorUsername, operatorHash, BadHashID, PendingID, operatorHash),
		fmt.Sprintf(`INSERT INTO dashboard_user_clients VALUES ('%s', 'POLRES_A'), ('%s', 'POLRES_A'), ('%s', 'DITBINMAS')`, OperatorID, BadHashID, PendingID),
		fmt.Sprintf(`INSERT INTO dashboard_user_subscriptions (subscription_id, dashboard_user_id, tier, status, started_at, expires_at) VALUES
			('5b000000-0000-4000-8000-000000000001', '%s', 'tier1', 'active', '2026-01-01 00:00:00+07', '2099-01-01 00:00:00+07'),
			('5b000000-0000-4000-8000-000000000002', '%s', 'tier1', 'expired', '2025-01-01 00:00:00+07', '2025-02-01 00:00:00+07')`,
			OperatorID, OperatorID),
		fmt.Sprintf(`INSERT INTO dashboard_premium_request (request_token, dashboard_user_id, client_id, username, whatsapp,
				bank_name, account_number, sender_name, transfer_amount, premium_tier, proof_url, status, expired_at, created_at) VALUES
			('7e000000-0000-4000-8000-000000000001', '%s', 'POLRES_A', '%s', '081200000001', 'BRI', '0011223344', 'OPERATOR A',
				150000, 'tier2', 'https://bukti.test/1.jpg', 'confirmed', now() + interval '1 day', now() - interval '1 hour'),
			('7e000000-0000-4000-8000-000000000002', '%s', 'POLRES_A', '%s', '081200000001', 'BRI', '0011223344', 'OPERATOR A',
				150000, 'tier1', NULL, 'denied', NULL, now() - interval '30 days')`, OperatorID, OperatorUsername, OperatorID, OperatorUsername),
		`INSERT INTO premium_request (user_id, sender_name, account_number, bank_name, screenshot_url, status, created_at) VALUES
			('75020001', 'BUDI', '998877', 'BNI', 'https://bukti.test/budi.jpg', 'pending', now() - interval '2 hours'),
			('75020004', 'RINA', '998866', 'BNI', NULL, 'approved', now() - interval '40 days')`,
		`INSERT INTO insta_post (shortcode, client_id, caption, like_count, comment_count, image_url, created_at) VALUES
			('IGLATE', 'POLRES_A', 'tengah malam kurang satu', 3, 0, 'https://cdn.test/late.jpg', '2026-11-20 23:59:00'),
			('IGEARLY', 'POLRES_A', 'lewat tengah malam', 1, 0, 'https://cdn.test/early.jpg', '2026-11-21 00:01:00'),
			('IGORPHAN', 'POLRES_X', 'yatim', 1, 0, NULL, '2026-11-20 10:00:00'),
			('IGNOTIME', 'POLRES_A', 'tanpa waktu', 0, 0, NULL, NULL)`,
		`INSERT INTO insta_post_roles VALUES ('IGLATE', 'ditbinmas'), ('IGLATE', 'satgas_x')`,
		`INSERT INTO insta_like (shortcode, likes, updated_at) VALUES
			('IGLATE', '["budi.santoso", "@Rina.IG ", "stranger"]', '2026-11-21 06:00:00'),
			('IGEARLY', '[{"username": "BUDI.SANTOSO"}]', '2026-11-21 06:00:00'),
			('IGORPHAN', '["yatim"]', '2026-11-21 06:00:00')`,
		`INSERT INTO tiktok_post (video_id, client_id, caption, like_count, comment_count, created_at) VALUES
			('7300000000000000001', 'POLRES_A', 'tt tengah malam kurang satu', 10, 2, '2026-11-20 16:59:00'),
			('7300000000000000002', 'POLRES_A', 'tt lewat tengah malam', 10, 1, '2026-11-20 17:01:00')`,
		`INSERT INTO tiktok_comment (video_id, comments, updated_at) VALUES
			('7300000000000000001', '["@budi_tt", "@siti_tt"]', '2026-11-21 06:00:00'),
			('7300000000000000002', '"[\"@budi_tt\"]"', '2026-11-21 06:00:00')`,
		`INSERT INTO insta_profile (username, full_name, biography, follower_count, following_count, post_count, updated_at) VALUES
			('polres_a', 'Polres A', 'akun resmi', 1200, 10, 300, '2026-11-21 06:00:00')`,
		// Link reports: IGAMP is a post of 2026-11-23 (ten days before the
		// fixture's "today" 2026-12-03, far outside the live 2-day window);
		// the old model dated each report by its post. One report names a
		// person, one a post, that never existed. IGKHUSUS is a khusus post
		// of POLRES_B (stored in both tables, as the old code did).
		`INSERT INTO insta_post (shortcode, client_id, caption, like_count, comment_count, image_url, created_at) VALUES
			('IGAMP', 'POLRES_A', 'amplifikasi', 5, 0, 'https://cdn.test/amp.jpg', '2026-11-23 10:00:00'),
			('IGKHUSUS', 'POLRES_B', 'tugas khusus', 2, 0, NULL, '2026-11-22 08:00:00')`,
		`INSERT INTO insta_post_khusus (shortcode, client_id, caption, created_at) VALUES ('IGKHUSUS', 'POLRES_B', 'tugas khusus', '2026-11-22 08:00:00')`,
		`INSERT INTO link_report (shortcode, user_id, instagram_link, facebook_link, twitter_link, tiktok_link, youtube_link, created_at) VALUES
			('IGAMP', '75020001', 'https://www.instagram.com/p/BUDI1/', 'https://facebook.com/budi/posts/1', NULL, '', NULL, '2026-11-23 10:00:00'),
			('IGAMP', '75020004', 'https://www.instagram.com/p/RINA1/', NULL, NULL, NULL, NULL, '2026-11-23 10:00:00'),
			('IGAMP', '99999999', 'https://www.instagram.com/p/NOBODY/', NULL, NULL, NULL, NULL, '2026-11-23 10:00:00'),
			('IGGONE', '75020001', 'https://www.instagram.com/p/GONE/', NULL, NULL, NULL, NULL, '2026-11-19 10:00:00')`,
		`INSERT INTO link_report_khusus (shortcode, user_id, instagram_link, created_at) VALUES
			('IGKHUSUS', '75020005', 'https://www.instagram.com/p/IGKHUSUS/', '2026-11-22 08:00:00')`,
		// Penmas: a writer, an editor, an account with a broken hash; events
		// with gaps in their ids, in every status (legacy labels included),
		// an approved one with its editor, a detail, change logs, and an
		// approval request of an event that is gone.
		fmt.Sprintf(`INSERT INTO penmas_user (user_id, username, password_hash, role, created_at) VALUES
			('%s', '%s', '%s', 'penulis', '2025-08-30 09:00:00'),
			('%s', '%s', '%s', 'editor', '2025-08-30 09:05:00'),
			('%s', 'rusak', 'not-a-hash', 'penulis', '2025-08-30 09:10:00')`,
			PenmasWriterID, PenmasWriterName, operatorHash, PenmasEditorID, PenmasEditorName, operatorHash, PenmasBadHashID),
		fmt.Sprintf(`INSERT INTO editorial_event (event_id, event_date, topic, judul_berita, assignee, status, created_by, updated_by, created_at, last_update) VALUES
			(3, '2025-09-01 09:00:00', 'Patroli pagi', NULL, NULL, 'draft', '%[1]s', '%[1]s', '2025-08-31 10:00:00', '2025-08-31 10:00:00'),
			(5, '2025-09-02 09:00:00', 'Bakti sosial', 'Polres bakti sosial', NULL, 'in review', '%[1]s', '%[1]s', '2025-08-31 11:00:00', '2025-09-01 08:00:00'),
			(7, '2025-09-03 09:00:00', 'Ungkap kasus', 'Polres ungkap kasus narkoba', '%[1]s', 'approved', '%[2]s', '%[2]s', '2025-08-31 12:00:00', '2025-09-02 15:00:00'),
			(8, '2025-09-04 09:00:00', 'Lalu lintas', NULL, NULL, 'rejected', '%[1]s', '%[2]s', '2025-08-31 13:00:00', '2025-09-02 16:00:00'),
			(9, '2025-09-05 09:00:00', 'Hari Bhayangkara', NULL, NULL, 'published', '%[1]s', '%[1]s', '2025-08-31 14:00:00', '2025-09-03 09:00:00'),
			(12, '2025-09-06 09:00:00', 'Status aneh', NULL, NULL, 'arsip', '%[1]s', '%[1]s', '2025-08-31 15:00:00', '2025-08-31 15:00:00')`,
			PenmasWriterID, PenmasEditorID),
		`INSERT INTO press_release_detail (event_id, judul, tersangka, pasal) VALUES (7, 'Ungkap kasus narkoba', 'AB (30)', '114 UU 35/2009')`,
		fmt.Sprintf(`INSERT INTO approval_request (request_id, event_id, requested_by, status, created_at, updated_at) VALUES
			(10, 5, '%[1]s', 'pending', '2025-09-01 08:00:00', '2025-09-01 08:00:00'),
			(11, 7, '%[1]s', 'approved', '2025-09-01 09:00:00', '2025-09-02 15:00:00'),
			(12, 8, '%[1]s', 'rejected', '2025-09-01 10:00:00', '2025-09-02 16:00:00'),
			(13, 99, '%[1]s', 'pending', '2025-09-01 11:00:00', '2025-09-01 11:00:00')`, PenmasWriterID),
		fmt.Sprintf(`INSERT INTO change_log (event_id, user_id, status, changes, logged_at) VALUES
			(7, '%[1]s', 'draft', 'naskah awal', '2025-08-31 12:30:00'),
			(7, '%[2]s', 'approved', 'disetujui, siap terbit', '2025-09-02 15:00:00')`, PenmasWriterID, PenmasEditorID),
	}
}
