#![no_main]

use bridger::roster::{entries, layout, propose, read, Century, DateFormat};
use libfuzzer_sys::fuzz_target;

// Any bytes: read as a roster, its header found, a mapping proposed, and its rows read with the
// proposal and with every date column forced to each format. Nothing may panic or hang.
fuzz_target!(|data: &[u8]| {
    let Ok(sheet) = read(data) else { return };
    let Ok(found) = layout(sheet) else { return };
    let mapping = propose(&found.columns, Century { pivot: 26 });
    let _ = entries(&found, &mapping);
    for format in DateFormat::ALL {
        let mut forced = mapping.clone();
        for column in forced.columns.iter_mut().filter(|c| c.field.is_date()) {
            column.date_format = Some(format);
        }
        let _ = entries(&found, &forced);
    }
});
