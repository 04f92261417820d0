-- Each account's text size, in percent of the standard size (the screens offer 100 to 200).
-- Accounts stay with their site (they are not synced), so this is a plain column.
ALTER TABLE accounts ADD COLUMN text_size INTEGER NOT NULL DEFAULT 100 CHECK (text_size IN (100, 125, 150, 175, 200));
