//! The roster: pages in name order, search as you type, and possible duplicates, always within
//! the facilities of the person looking.

use super::participants::status_column;
use super::schema::Table;
use super::{scope, Store, WriteCtx};
use crate::audit::Action;
use std::collections::{HashMap, HashSet};
use crate::auth::{Need, Permission, Scope};
use crate::error::Result;
use crate::model::{similar_names, DuplicateCandidate, FacilityId, LikelyDuplicate, LikelyDuplicates, ParticipantId, ParticipantInput, RosterFilter, RosterPage, RosterRow, SearchResult};
use crate::text::{clean_line, fold, prefix_query, words};
use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{params_from_iter, Row};

const ROW_COLUMNS: &str = "p.id, p.legal_name, p.preferred_name, p.facility_number, coalesce(f.code, ''), u.name, \
     p.dob, p.status, p.release_date";
/// The most likely duplicates one list shows.
pub const MAX_DUPLICATES: usize = 500;

const ROW_JOINS: &str = "LEFT JOIN facilities f ON f.id = p.facility_id LEFT JOIN locations u ON u.id = p.unit_id";

/// The most rows one roster page may ask for.
pub const MAX_PAGE: u64 = 500;

fn roster_row(r: &Row<'_>) -> rusqlite::Result<RosterRow> {
    Ok(RosterRow {
        id: r.get(0)?,
        legal_name: r.get(1)?,
        preferred_name: r.get(2)?,
        facility_number: r.get(3)?,
        facility_code: r.get(4)?,
        unit_name: r.get(5)?,
        dob: r.get(6)?,
        status: status_column(r, 7)?,
        release_date: r.get(8)?,
    })
}

/// The WHERE clause (over `p`) and its arguments for a roster filter; its placeholders are
/// numbered from `first`, after the arguments the caller puts before them.
/// The account's facility scope is always part of it, so no query shows anyone outside it.
fn filter_sql(filter: &RosterFilter, scope: &Scope, first: usize) -> (String, Vec<Value>) {
    let mut clauses = vec!["p.deleted = 0".to_string()];
    let mut args: Vec<Value> = Vec::new();
    if let (within, Some(ids)) = scope::within(scope, "p.facility_id", first) {
        clauses.push(within);
        args.push(ids);
    }
    let mut add = |clause: &str, value: String| {
        clauses.push(clause.replace('?', &format!("?{}", first + args.len())));
        args.push(Value::Text(value));
    };
    if let Some(f) = filter.facility_id {
        add("p.facility_id = ?", f.to_string());
    }
    if let Some(u) = filter.unit_id {
        add("p.unit_id = ?", u.to_string());
    }
    if let Some(s) = filter.status {
        add("p.status = ?", s.as_str().to_string());
    }
    if let Some(d) = filter.release_from {
        add("p.release_date >= ?", d.to_string());
    }
    if let Some(d) = filter.release_to {
        add("p.release_date <= ?", d.to_string());
    }
    (clauses.join(" AND "), args)
}

impl Store {
    /// One page of the roster in name order, with the total the filter matches.
    pub fn roster_page(&self, filter: &RosterFilter, offset: u64, limit: u64) -> Result<RosterPage> {
        let scope = self.allowed(Need::Role(Permission::ViewParticipants))?.scope();
        let (clause, args) = filter_sql(filter, scope, 1);
        let total: i64 = self.conn.query_row(
            &format!("SELECT count(*) FROM participants p WHERE {clause}"),
            params_from_iter(args),
            |r| r.get(0),
        )?;
        let total = total.max(0) as u64;
        let limit = limit.min(MAX_PAGE).min(total.saturating_sub(offset));
        // An OFFSET walks the index from its start, so a page in the second half of the list is
        // read backwards from the end instead: the End key costs what Home costs.
        let from_end = offset.saturating_mul(2) > total;
        let (skip, direction) = if from_end { (total.saturating_sub(offset).saturating_sub(limit), "DESC") } else { (offset, "ASC") };
        let (clause, args) = filter_sql(filter, scope, 3);
        let mut all_args = vec![Value::Integer(limit as i64), Value::Integer(skip.min(i64::MAX as u64) as i64)];
        all_args.extend(args);
        // The page's ids come from the index alone; only those rows are then read and joined.
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM (SELECT p.id FROM participants p WHERE {clause}
                 ORDER BY p.sort_name {direction}, p.id {direction} LIMIT ?1 OFFSET ?2) page
             JOIN participants p ON p.id = page.id {ROW_JOINS} ORDER BY p.sort_name, p.id"
        );
        let rows = self.conn.prepare_cached(&sql)?.query_map(params_from_iter(all_args), roster_row)?.collect::<rusqlite::Result<_>>()?;
        Ok(RosterPage { total, offset, rows })
    }

    /// Search-as-you-type over names and numbers: every typed word must begin a word of the
    /// legal name, preferred name or facility number, ignoring case and accents. An exact
    /// facility number comes first; the rest are in name order.
    pub fn search(&self, typed: &str, filter: &RosterFilter, limit: u64) -> Result<SearchResult> {
        let scope = self.allowed(Need::Role(Permission::ViewParticipants))?.scope();
        let Some(query) = prefix_query(typed) else {
            return Ok(SearchResult { rows: vec![], more: false });
        };
        let limit = limit.clamp(1, MAX_PAGE);
        let (clause, args) = filter_sql(filter, scope, 3);
        let mut all_args = vec![Value::Text(query), Value::Integer(limit as i64 + 1)];
        all_args.extend(args);
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM participants_fts JOIN participants p ON p.rowid = participants_fts.rowid {ROW_JOINS}
             WHERE participants_fts MATCH ?1 AND {clause} LIMIT ?2",
        );
        let mut rows: Vec<RosterRow> =
            self.conn.prepare_cached(&sql)?.query_map(params_from_iter(all_args), roster_row)?.collect::<rusqlite::Result<_>>()?;
        let more = rows.len() as u64 > limit;
        rows.truncate(limit as usize);
        let exact = clean_line(typed).to_uppercase();
        rows.sort_by_cached_key(|r| (r.facility_number != exact, fold(&r.legal_name), r.id));
        Ok(SearchResult { rows, more })
    }

    /// Existing records that may be the person in `input`: the same facility number anywhere,
    /// or the same date of birth with a similar name, within the facilities this person may see.
    /// `this` leaves out the record being edited.
    pub fn possible_duplicates(&self, input: &ParticipantInput, this: Option<ParticipantId>) -> Result<Vec<DuplicateCandidate>> {
        let who = self.allowed(Need::Role(Permission::ViewParticipants))?;
        // The scope is part of each query, so a candidate outside it never takes the place of
        // one inside under the limit.
        let (within, scope_arg) = scope::within(who.scope(), "p.facility_id", 3);
        let mut found: Vec<DuplicateCandidate> = Vec::new();
        let number = clean_line(&input.facility_number).to_uppercase();
        if !number.is_empty() {
            let sql = format!("SELECT {ROW_COLUMNS} FROM participants p {ROW_JOINS} WHERE p.facility_number = ?1 AND p.deleted = 0 AND p.id IS NOT ?2 AND {within} LIMIT 20");
            let args = [Value::Text(number), this.map_or(Value::Null, |t| Value::Text(t.to_string()))].into_iter().chain(scope_arg.clone());
            for row in self.conn.prepare_cached(&sql)?.query_map(params_from_iter(args), roster_row)? {
                let row = row?;
                let reason = format!("same facility number {} at {}", row.facility_number, row.facility_code);
                found.push(DuplicateCandidate { row, reason });
            }
        }
        let typed = words(&input.legal_name);
        if let (Ok(dob), false) = (NaiveDate::parse_from_str(input.dob.trim(), "%Y-%m-%d"), typed.is_empty()) {
            let sql = format!("SELECT {ROW_COLUMNS} FROM participants p {ROW_JOINS} WHERE p.dob = ?1 AND p.deleted = 0 AND p.id IS NOT ?2 AND {within} LIMIT 200");
            let args = [Value::Text(dob.to_string()), this.map_or(Value::Null, |t| Value::Text(t.to_string()))].into_iter().chain(scope_arg);
            for row in self.conn.prepare_cached(&sql)?.query_map(params_from_iter(args), roster_row)? {
                let row = row?;
                let theirs = words(&format!("{} {}", row.legal_name, row.preferred_name.as_deref().unwrap_or("")));
                if similar_names(&typed, &theirs) && !found.iter().any(|c| c.row.id == row.id) {
                    found.push(DuplicateCandidate { row, reason: "same date of birth and a similar name".into() });
                }
            }
        }
        Ok(found)
    }

    /// Records across the reader's facilities that may be one person: the same state id
    /// number, or the same date of birth and a similar name (as enrolment warns of). Read in one
    /// pass, compared in memory; audited as one view of the list.
    pub fn likely_duplicates(&mut self, ctx: &WriteCtx) -> Result<LikelyDuplicates> {
        self.change(ctx, Need::Role(Permission::ViewParticipants), |w| {
            let (within, scope_arg) = scope::within(w.who().scope(), "p.facility_id", 1);
            let sql = format!("SELECT {ROW_COLUMNS}, p.state_number, p.facility_id FROM participants p {ROW_JOINS} WHERE p.deleted = 0 AND {within}");
            let mut people: Vec<(RosterRow, Vec<String>, String, bool)> = w
                .tx()
                .prepare(&sql)?
                .query_map(params_from_iter(scope_arg), |r| {
                    let row = roster_row(r)?;
                    let names = words(&format!("{} {}", row.legal_name, row.preferred_name.as_deref().unwrap_or("")));
                    let state = clean_line(&r.get::<_, Option<String>>(9)?.unwrap_or_default()).to_uppercase();
                    let may_merge = w.who().require(Permission::MergeParticipants, r.get::<_, Option<FacilityId>>(10)?).is_ok();
                    Ok((row, names, state, may_merge))
                })?
                .collect::<rusqlite::Result<_>>()?;
            people.sort_by_key(|p| (p.0.dob, p.0.id));
            // The older record first in each pair: ids are made in time order.
            let pair_of = |i: usize, j: usize| if people[i].0.id <= people[j].0.id { (i, j) } else { (j, i) };
            let mut pairs: Vec<LikelyDuplicate> = Vec::new();
            let mut by_state: HashMap<&str, Vec<usize>> = HashMap::new();
            for (i, (_, _, state, _)) in people.iter().enumerate() {
                if !state.is_empty() {
                    by_state.entry(state.as_str()).or_default().push(i);
                }
            }
            let mut paired: HashSet<(usize, usize)> = HashSet::new();
            for (state, holders) in &by_state {
                for (n, &i) in holders.iter().enumerate() {
                    for &j in &holders[n + 1..] {
                        let (i, j) = pair_of(i, j);
                        let alike = people[i].0.dob == people[j].0.dob && similar_names(&people[i].1, &people[j].1);
                        pairs.push(LikelyDuplicate {
                            first: people[i].0.clone(),
                            second: people[j].0.clone(),
                            same_state_number: Some((*state).to_string()),
                            same_birth_and_name: alike,
                            may_merge: people[i].3 && people[j].3,
                        });
                        paired.insert((i, j));
                    }
                }
            }
            // Birth and name alone come last, in birth-date order: once a birth date's pairs
            // take the list past its length, later dates cannot be listed, so they are not
            // compared. Within a date only records sharing a word of their names are.
            let mut by_name_only = 0;
            let mut start = 0;
            while start < people.len() && by_name_only <= MAX_DUPLICATES {
                let end = start + people[start..].iter().take_while(|p| p.0.dob == people[start].0.dob).count();
                let mut by_word: HashMap<&str, Vec<usize>> = HashMap::new();
                for (i, (_, names, _, _)) in people.iter().enumerate().take(end).skip(start) {
                    for word in names {
                        by_word.entry(word.as_str()).or_default().push(i);
                    }
                }
                let mut found: HashSet<(usize, usize)> = HashSet::new();
                for sharing in by_word.values() {
                    for (n, &a) in sharing.iter().enumerate() {
                        for &b in &sharing[n + 1..] {
                            let (a, b) = pair_of(a, b);
                            if a != b && !paired.contains(&(a, b)) && !found.contains(&(a, b)) && similar_names(&people[a].1, &people[b].1) {
                                found.insert((a, b));
                            }
                        }
                    }
                }
                by_name_only += found.len();
                pairs.extend(found.into_iter().map(|(a, b)| LikelyDuplicate {
                    first: people[a].0.clone(),
                    second: people[b].0.clone(),
                    same_state_number: None,
                    same_birth_and_name: true,
                    may_merge: people[a].3 && people[b].3,
                }));
                start = end;
            }
            // The surest first: a state number is the state's own identifier, a name and birth
            // date may be shared by two people; both together leave least doubt.
            pairs.sort_by_key(|p| (!(p.same_birth_and_name && p.same_state_number.is_some()), p.same_state_number.is_none(), p.first.dob, p.first.id, p.second.id));
            let more = pairs.len() > MAX_DUPLICATES;
            pairs.truncate(MAX_DUPLICATES);
            w.audit(Action::View, Some(Table::Participants.name()), None, &format!("likely duplicates: {} pairs", pairs.len()))?;
            Ok(LikelyDuplicates { pairs, more })
        })
    }
}
