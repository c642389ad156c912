# The staff pages: sign-in, the caseworker dashboard, export and audit log.
# Staff pages exist in English and Vietnamese only.

staff-app-name = Passport staff
staff-nav-label = Staff sections
staff-nav-requests = Help requests
staff-nav-export = Export
staff-nav-audit = Audit log
staff-signed-in-as = Signed in as { $name } ({ $role })
staff-language-label = Language
staff-language-apply = Change
staff-sign-out = Sign out
staff-unavailable = The database cannot be reached at this moment. Try again in a minute.

staff-role-caseworker = caseworker
staff-role-editor = editor
staff-role-admin = admin
staff-role-caseworker-text = You can read and handle help requests.
staff-role-editor-text = You keep the content and its translations right. Help requests are not shown to editors.
staff-role-admin-text = You can do everything, including reading the audit log.

staff-sign-in-title = Staff sign-in
staff-username = Username
staff-password = Password
staff-sign-in = Sign in
staff-sign-in-hint = Accounts are made by an admin with the command passport staff add. There is no default password.
staff-session-expired = Your session has ended, so your note is not saved yet. Sign in again: it is kept, and you go back to the request with it in the form.
staff-sign-in-wrong = The username or password is wrong.
staff-sign-in-busy = The server is busy checking other sign-ins. Wait a moment and try again.
staff-sign-in-too-many = Too many sign-in attempts from this connection. Wait a minute and try again.
staff-forbidden-title = Not for your role
staff-forbidden-text = Your account's role does not allow this page. Ask an admin if you need it.
staff-csrf-title = This form has expired
staff-csrf-text = The form could not be checked as coming from this site. Go back, reload the page and try again.

staff-account-title = Your account
staff-account-role = Your role: { $role }
staff-account-recent = Your recent activity

staff-requests-title = Help requests
staff-requests-count = Showing { $shown } of { $total } requests.
staff-filter-status = Status
staff-filter-country = Country
staff-filter-kind = Kind of help
staff-filter-language = Language
staff-filter-age = Received
staff-filter-any = Any
staff-filter-open = Open (not closed)
staff-filter-apply = Show
staff-age-1 = In the last day
staff-age-7 = In the last 7 days
staff-age-30 = In the last 30 days
staff-age-older = More than 30 days ago
staff-col-reference = Reference
staff-col-received = Received (UTC)
staff-col-kind = Kind of help
staff-col-country = Country
staff-col-language = Language
staff-col-status = Status
staff-col-assigned = Assigned to
staff-unassigned = Nobody
staff-urgent = Urgent
staff-empty = (not given)

staff-status-new = New
staff-status-contacted = Contacted
staff-status-in-progress = In progress
staff-status-referred = Referred
staff-status-closed = Closed

staff-kind-job-offer-check = Job offer check
staff-kind-in-trouble-abroad = In trouble abroad
staff-kind-passport-held = Passport held
staff-kind-not-paid = Not paid
staff-kind-want-to-go-home = Wants to go home
staff-kind-other = Other

staff-chart-title = Requests per week, by country
staff-chart-table = The same figures as a table

staff-request-title = Request { $reference }
staff-request-missing = There is no such request. It may have been deleted after it was closed.
staff-page-missing = There is no page at this address to preview.
staff-back-to-list = Back to the list
staff-field-place = Province or city
staff-field-channel = Contact by
staff-field-contact = Number or name on the app
staff-field-safe-time = Safe time to contact
staff-field-name = Name or nickname
staff-field-message = Message
staff-field-ticked = Checklist signs they chose to send
staff-field-updated = Last changed (UTC)
staff-changes-title = Handle this request
staff-save-status = Save status
staff-save-assignee = Assign
staff-note-label = Add a note (other staff will see it)
staff-draft-restored = Your note is back in the form below. Press "Add note" to save it.
staff-add-note = Add note
staff-notes-title = Notes
staff-history-title = History
staff-problem-status = Choose one of the statuses.
staff-problem-assignee = That person cannot be assigned: choose an active caseworker or admin.
staff-problem-note = Write a note of at most 2000 characters.
staff-problem-action = The change could not be read. Reload the page and try again.

staff-export-title = Export help requests
staff-export-link = Export this list as CSV
staff-export-count = { $count } requests match these filters.
staff-export-warning-title = This file will hold personal data
staff-export-warning = People who send help requests may be in danger. Export only the fields you need, keep the file on an encrypted device, never send it by chat or email, and delete it when you are done. Every export is recorded in the audit log.
staff-export-fields = Fields to export
staff-export-personal = (personal data)
staff-export-understood = I understand that this file holds personal data and I will protect it.
staff-export-download = Download CSV
staff-export-no-fields = Choose at least one field.
staff-export-not-understood = Tick the box to confirm that you will protect the file.
staff-export-field-reference = Reference
staff-export-field-received = Received
staff-export-field-status = Status
staff-export-field-kind = Kind of help
staff-export-field-country = Country
staff-export-field-language = Language
staff-export-field-assigned = Assigned to
staff-export-field-updated = Last changed
staff-export-field-place = Province or city
staff-export-field-channel = Contact by
staff-export-field-contact = Number or name on the app
staff-export-field-safe-time = Safe time to contact
staff-export-field-name = Name or nickname
staff-export-field-message = Message
staff-export-field-ticked = Checklist signs

staff-audit-title = Audit log
staff-sign-in-failures = { $count } failed staff sign-ins in the last 24 hours.
staff-sign-in-slowed = Sign-ins slowed after repeated failures from one network: { $names }.
staff-audit-link = See the audit log.
staff-audit-at = When (UTC)
staff-audit-who = Who
staff-audit-action = What
staff-audit-subject = About
staff-audit-detail = Detail
staff-audit-system = (command line or server)
staff-purge-title = Retention purges
staff-purge-days = Retention (days)
staff-purge-requests = Requests deleted
staff-purge-open-days = Kept if never closed (days)
staff-purge-open = Of them, never closed
staff-purge-notes = Notes deleted

staff-action-account-added = Account added
staff-action-password-set = Password set
staff-action-account-disabled = Account disabled
staff-action-account-enabled = Account enabled
staff-action-signed-in = Signed in
staff-action-signed-out = Signed out
staff-action-sign-in-failed = Failed sign-in
staff-action-account-locked = Account locked after failed sign-ins
staff-action-sign-in-throttled = Sign-ins slowed after repeated failures from one network
staff-action-viewed = Viewed
staff-action-status-changed = Status changed
staff-action-assigned = Assigned
staff-action-note-added = Note added
staff-action-exported = Exported CSV

staff-language-en = English
staff-language-vi = Vietnamese
staff-language-th = Thai
staff-language-ksw = S'gaw Karen

# The translation workspace, for editors and admins.
staff-nav-translations = Translations
staff-tr-title = Translations
staff-tr-version = Published content version: { $version }
staff-tr-language = Language
staff-tr-total = Messages
staff-tr-file = File for translators
staff-tr-export = Download .ftl
staff-tr-state = State
staff-tr-state-all = All
staff-tr-state-missing = Missing
staff-tr-state-draft = Draft
staff-tr-state-reviewed = Reviewed
staff-tr-state-outdated = Outdated
staff-tr-state-unchanged = Same as English
staff-tr-state-pending = Not published
staff-tr-area = Page
staff-tr-search = Words
staff-tr-shown = { $count } messages
staff-tr-id = Message
staff-tr-english = English source
staff-tr-current = Text
staff-tr-published = Published now
staff-tr-note = Note for translators
staff-tr-note-none = No note.
staff-tr-note-content = Content text: plain words, shown as written. Phone numbers, addresses and dates are facts and are kept in the fact fields.
staff-tr-others = The other languages
staff-tr-history = History
staff-tr-back = Back to the list
staff-tr-save-draft = Save as draft
staff-tr-save-reviewed = Save as reviewed
staff-tr-confirm = I have read the warnings: save anyway
staff-tr-refused = Not saved:
staff-tr-warned = Please check:
staff-tr-refused-syntax = Line { $line }, column { $column }: { $detail }
staff-tr-refused-variables = The placeholders must be the same as in English. English has: { $source }. This text has: { $translation }.
staff-tr-refused-terms = The terms must be the same as in English. English has: { $source }. This text has: { $translation }.
staff-tr-refused-one-message = The text must be one message. Remove the lines that start a new message (a name followed by =).
staff-tr-warn-empty = The text is empty: the page will show the English text instead.
staff-tr-warn-plural = This language has no plural form “{ $category }”: only “other” is used.
staff-tr-warn-phone = The phone numbers differ from English. English has: { $source }. This text has: { $translation }. Phone numbers are facts: change them in the contact's facts.
staff-tr-when = When
staff-tr-who = Who
staff-tr-action = Change
staff-tr-old = Before
staff-tr-new = After
staff-tr-revert = Put back “Before”
staff-tr-action-save = Saved
staff-tr-action-revert = Put back
staff-tr-action-import = Imported
staff-tr-action-publish = Published
staff-tr-publish-title = Publish
staff-tr-pending = { $count ->
    [one] One saved change is not published yet.
   *[other] { $count } saved changes are not published yet.
}
staff-tr-preview = Preview the pages with the saved changes
staff-tr-publish = Publish all saved changes
staff-preview-banner = Preview: this page shows saved changes that are not published yet.
staff-tr-none = none
staff-tr-import = Import a translator's file
staff-tr-import-hint = Upload a .ftl file for one language, as downloaded above and filled in by a translator. Every message is checked first: the file is imported whole, as changes waiting to be published, or not at all.
staff-tr-import-button = Import
staff-tr-import-no-file = Choose a .ftl file to import.
staff-tr-import-not-utf8 = The file is not UTF-8 text. Save it as UTF-8 and try again.
staff-tr-import-report = Added { $added }, changed { $changed }, unchanged { $unchanged }, refused { $refused }.
staff-tr-import-unknown = no message of the app has this name
staff-tr-import-refused = Line { $line }, { $id }: { $why }
staff-tr-import-nothing = Nothing was imported: fix the refused messages and import the file again.
staff-tr-saved = Saved. It goes live for everyone when the changes are published.

# Facts: phone numbers, addresses and checked dates.
staff-nav-facts = Facts
staff-fact-title = Facts
staff-fact-stale-title = Checked more than 12 months ago, oldest first
staff-fact-none-stale = Every fact was checked in the last 12 months.
staff-fact-all-title = Contacts and sources
staff-fact-checked = Last checked
staff-fact-kind = Kind
staff-fact-what = Fact
staff-fact-entity-contact = Contact
staff-fact-entity-source = Source
staff-fact-entity-checklist-item = Checklist sign
staff-fact-entity-guide-point = Guide point
staff-fact-field-phone = Phone number
staff-fact-field-phone-abroad = Phone number from abroad (leave empty if there is none)
staff-fact-field-checked-on = Last checked (YYYY-MM-DD)
staff-fact-field-url = Web address
staff-fact-save = Save
staff-fact-back = Back to the facts
staff-fact-hours = Edit the hours (a text, translated into each language)
staff-fact-required = This fact is needed.
staff-fact-bad-phone = Write the number with digits, spaces or dashes, and + at the start for a country code, as in +66 99 130 1300.
staff-fact-bad-url = Write the whole web address, starting with https://, as in https://www.ilo.org/.
staff-fact-bad-date = Write the date as year-month-day, as in 2026-11-23.
staff-fact-future-date = A fact cannot have been checked on a day still to come.

staff-https-title = The staff pages need a secure connection
staff-https-text = This server was reached over plain HTTP from another device. Anyone on the same Wi-Fi could read a password or session sent this way, so the staff pages are not shown here.
staff-https-how = Open the staff pages on the computer that runs the server (http://127.0.0.1), or serve HTTPS with --tls-cert and --tls-key, as the README's section on hubs explains.

## A second person for guarded changes
staff-approve-title = Changes that need a second person
staff-approve-hint = A change to a phone number, a web address, the privacy notice, the quick-exit texts or a number in a text is published only after an editor or admin other than its author approves it, as it stands.
staff-approve-what = Change
staff-approve-old = Published now
staff-approve-new = Saved change
staff-approve-by = Saved by
staff-approve-state = Approval
staff-approve-button = Approve
staff-approve-done = Approved by { $name }
staff-approve-yours = Your change: someone else must approve it.
staff-approve-none = No guarded change is waiting.
staff-approve-own = You cannot approve your own change. Ask another editor or an admin.
staff-approve-changed = This change was edited or published since you saw it. Look at it again.
staff-tr-waiting = { $count ->
    [one] One guarded change waits for approval: Publish leaves it unpublished.
   *[other] { $count } guarded changes wait for approval: Publish leaves them unpublished.
}
