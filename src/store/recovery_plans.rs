//! Recovery plans: goals in the participant's own words, each in one recovery dimension, and
//! the steps toward them. Every change also writes a line of the plan's history (who changed
//! what, when), in the same change, so the history travels with the plan.

use super::columns::date_col;
use super::participants::load_for;
use super::schema::Table;
use super::write::{text, Writer};
use super::{Store, WriteCtx};
use crate::auth::{Need, Permission};
use crate::error::{Error, Result};
use crate::model::{Dimension, Goal, GoalInput, GoalStatus, ParticipantId, PlanChange, RecoveryPlan, Step, StepInput, StepStatus};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};
use uuid::Uuid;

/// A plan's goals with their steps, and its history newest first.
pub(crate) fn load_recovery_plan(conn: &Connection, participant: ParticipantId) -> Result<RecoveryPlan> {
    let mut stmt = conn.prepare_cached("SELECT id, goal_id, step, owner, due_on, status FROM recovery_steps WHERE participant_id = ?1 AND deleted = 0 ORDER BY coalesce(due_on, '9999'), step")?;
    let steps: Vec<(String, Step)> = stmt
        .query_map([participant], |r| {
            Ok((
                r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                Step {
                    id: r.get(0)?,
                    step: r.get(2)?,
                    owner: r.get(3)?,
                    due_on: date_col(r.get(4)?),
                    status: StepStatus::parse(&r.get::<_, String>(5)?).unwrap_or(StepStatus::ToDo),
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare_cached("SELECT id, goal, dimension, status, review_on FROM recovery_goals WHERE participant_id = ?1 AND deleted = 0 ORDER BY dimension, id")?;
    let mut goals: Vec<Goal> = stmt
        .query_map([participant], |r| {
            Ok(Goal {
                id: r.get(0)?,
                goal: r.get(1)?,
                dimension: Dimension::parse(&r.get::<_, String>(2)?).unwrap_or(Dimension::Health),
                status: GoalStatus::parse(&r.get::<_, String>(3)?).unwrap_or(GoalStatus::Active),
                review_on: date_col(r.get(4)?),
                steps: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    for (goal, step) in steps {
        if let Some(g) = goals.iter_mut().find(|g| g.id == goal) {
            g.steps.push(step);
        }
    }
    goals.sort_by_key(|g| (g.dimension, g.status != GoalStatus::Active));
    let mut stmt = conn.prepare_cached("SELECT at_ms, by_name, what FROM recovery_plan_changes WHERE participant_id = ?1 AND deleted = 0 ORDER BY at_ms DESC, id DESC")?;
    let history = stmt.query_map([participant], |r| Ok(PlanChange { at_ms: r.get(0)?, by: r.get(1)?, what: r.get(2)? }))?.collect::<rusqlite::Result<_>>()?;
    Ok(RecoveryPlan { participant_id: participant, goals, history })
}

/// "was → now" for each field whose text changes, by its label; the whole record when new.
fn described(labels: &[&str], before: Option<&[Option<String>]>, after: &[Option<String>]) -> Vec<String> {
    let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "none".into());
    match before {
        None => Vec::new(),
        Some(before) => labels
            .iter()
            .zip(before.iter().zip(after))
            .filter(|(_, (b, a))| b != a)
            .map(|(label, (b, a))| format!("{label} {} → {}", show(b), show(a)))
            .collect(),
    }
}

/// Writes one line of a plan's history, by the person acting, now.
fn record(w: &mut Writer<'_>, participant: ParticipantId, what: String) -> Result<()> {
    let id = w.ctx().new_uuid();
    let by = w.who().display_name.clone();
    w.save(
        Table::RecoveryPlanChanges,
        id,
        true,
        vec![
            ("participant_id", Value::Text(participant.to_string())),
            ("at_ms", Value::Integer(w.now_ms())),
            ("by_name", Value::Text(crate::text::clean_line(&by))),
            ("what", Value::Text(what.chars().take(2000).collect())),
        ],
    )
}

/// The stored text of `fields` of record `id` of `table`, if the record is the participant's.
fn stored(w: &Writer<'_>, table: Table, id: Uuid, fields: &[&str]) -> Result<Option<Vec<Option<String>>>> {
    let sql = format!("SELECT {} FROM {} WHERE id = ?1 AND deleted = 0", fields.join(", "), table.name());
    Ok(w.tx().query_row(&sql, [id.to_string()], |r| (0..fields.len()).map(|i| r.get::<_, Option<String>>(i)).collect()).optional()?)
}

impl Store {
    /// A person's recovery plan and its history; the reading is audited.
    pub fn recovery_plan(&mut self, ctx: &WriteCtx, participant: ParticipantId) -> Result<RecoveryPlan> {
        self.view_part(ctx, participant, "recovery plan", |conn, _, _| load_recovery_plan(conn, participant))
    }

    /// Adds a goal (`id` none) or changes one, and writes what changed to the plan's history.
    pub fn save_goal(&mut self, ctx: &WriteCtx, participant: ParticipantId, id: Option<Uuid>, input: &GoalInput) -> Result<RecoveryPlan> {
        let v = input.validate()?;
        self.change(ctx, Need::Role(Permission::PeerWork), |w| {
            load_for(w.tx(), w.who(), participant, Permission::PeerWork)?;
            let (id, new) = w.own_or_new(Table::RecoveryGoals, id, participant, "goal")?;
            let names = ["goal", "dimension", "status", "review_on"];
            let before = if new { None } else { stored(w, Table::RecoveryGoals, id, &names)? };
            let after = [Some(v.goal.clone()), Some(v.dimension.as_str().to_string()), Some(v.status.as_str().to_string()), v.review_on.map(|d| d.to_string())];
            let mut fields = vec![
                ("goal", Value::Text(v.goal.clone())),
                ("dimension", Value::Text(v.dimension.as_str().into())),
                ("status", Value::Text(v.status.as_str().into())),
                ("review_on", text(v.review_on.map(|d| d.to_string()))),
            ];
            if new {
                fields.push(("participant_id", Value::Text(participant.to_string())));
            }
            w.save(Table::RecoveryGoals, id, new, fields)?;
            let changes = described(&["goal", "dimension", "status", "review date"], before.as_deref(), &after);
            let what = if new {
                format!("added the {} goal \"{}\"", v.dimension.label().to_lowercase(), v.goal)
            } else if changes.is_empty() {
                return Ok(());
            } else {
                format!("changed the goal \"{}\": {}", v.goal, changes.join("; "))
            };
            record(w, participant, what)
        })?;
        load_recovery_plan(&self.conn, participant)
    }

    /// Adds a step toward a goal (`id` none) or changes one, with its line of history.
    pub fn save_step(&mut self, ctx: &WriteCtx, participant: ParticipantId, goal: Uuid, id: Option<Uuid>, input: &StepInput) -> Result<RecoveryPlan> {
        let v = input.validate()?;
        self.change(ctx, Need::Role(Permission::PeerWork), |w| {
            load_for(w.tx(), w.who(), participant, Permission::PeerWork)?;
            let (goal, _) = w.own_or_new(Table::RecoveryGoals, Some(goal), participant, "goal")?;
            let goal_text: String = w.tx().query_row("SELECT goal FROM recovery_goals WHERE id = ?1", [goal.to_string()], |r| r.get(0))?;
            let (id, new) = w.own_or_new(Table::RecoverySteps, id, participant, "step")?;
            let names = ["step", "owner", "due_on", "status"];
            let before = if new { None } else { stored(w, Table::RecoverySteps, id, &names)? };
            let after = [Some(v.step.clone()), v.owner.clone(), v.due_on.map(|d| d.to_string()), Some(v.status.as_str().to_string())];
            let mut fields = vec![
                ("step", Value::Text(v.step.clone())),
                ("owner", text(v.owner.clone())),
                ("due_on", text(v.due_on.map(|d| d.to_string()))),
                ("status", Value::Text(v.status.as_str().into())),
            ];
            if new {
                fields.push(("participant_id", Value::Text(participant.to_string())));
                fields.push(("goal_id", Value::Text(goal.to_string())));
            } else {
                let belongs: Option<String> = w.tx().query_row("SELECT goal_id FROM recovery_steps WHERE id = ?1", [id.to_string()], |r| r.get(0))?;
                if belongs.as_deref() != Some(goal.to_string().as_str()) {
                    return Err(Error::NotFound { what: "step", id: id.to_string() });
                }
            }
            w.save(Table::RecoverySteps, id, new, fields)?;
            let changes = described(&["step", "who", "due", "status"], before.as_deref(), &after);
            let what = if new {
                format!("added the step \"{}\" to \"{goal_text}\"", v.step)
            } else if changes.is_empty() {
                return Ok(());
            } else {
                format!("changed the step \"{}\": {}", v.step, changes.join("; "))
            };
            record(w, participant, what)
        })?;
        load_recovery_plan(&self.conn, participant)
    }
}
