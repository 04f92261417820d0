-- Each account's own choice of the screens' language and of the order of a date typed with
-- slashes. Accounts stay with their site (they are not synced), so these are plain columns.
ALTER TABLE accounts ADD COLUMN language TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'es'));
ALTER TABLE accounts ADD COLUMN date_order TEXT NOT NULL DEFAULT 'mdy' CHECK (date_order IN ('mdy', 'dmy'));
