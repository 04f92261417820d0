//! What a person may be allowed to do: the vocabulary of the roles (`auth`) and of refusals
//! (`error`), below both so neither needs the other.

use serde::{Deserialize, Serialize};

/// Something a person may be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    ManageAccounts,
    ManageSite,
    ManageTrustedPeers,
    Backup,
    ViewAudit,
    ExportAudit,
    ViewParticipants,
    EnrollParticipants,
    EditParticipants,
    DeleteParticipants,
    RunGroups,
    ReentryWork,
    PeerWork,
    HandOff,
    ExportData,
    Print,
    /// Keep peer staff records: credentials, continuing education, supervision, evaluations.
    KeepStaffRecords,
    /// Assess the program's readiness against the toolkit's five steps.
    AssessProgram,
    /// Open a report's figure to the people behind it; without it a report is counts only.
    ReportPeople,
    /// Bring in the jail's roster: many people's records, and their charges, in one step.
    ImportRosters,
    /// Move a person to another facility of the program, or take one in from another.
    TransferParticipants,
    /// Make two records of one person one, or undo that.
    MergeParticipants,
}

impl Permission {
    pub const ALL: [Permission; 22] = [
        Permission::ManageAccounts,
        Permission::ManageSite,
        Permission::ManageTrustedPeers,
        Permission::Backup,
        Permission::ViewAudit,
        Permission::ExportAudit,
        Permission::ViewParticipants,
        Permission::EnrollParticipants,
        Permission::EditParticipants,
        Permission::DeleteParticipants,
        Permission::RunGroups,
        Permission::ReentryWork,
        Permission::PeerWork,
        Permission::HandOff,
        Permission::ExportData,
        Permission::Print,
        Permission::KeepStaffRecords,
        Permission::AssessProgram,
        Permission::ReportPeople,
        Permission::ImportRosters,
        Permission::TransferParticipants,
        Permission::MergeParticipants,
    ];

    /// Program data belongs to a facility; the rest is about the site as a whole.
    pub fn is_program_data(self) -> bool {
        !matches!(
            self,
            Permission::ManageAccounts
                | Permission::ManageSite
                | Permission::ManageTrustedPeers
                | Permission::Backup
                | Permission::ViewAudit
                | Permission::ExportAudit
        )
    }

    /// How a refusal names the action: "... may not {this}".
    pub(crate) fn described(self) -> &'static str {
        match self {
            Permission::ManageAccounts => "manage accounts",
            Permission::ManageSite => "change the site's facilities or settings",
            Permission::ManageTrustedPeers => "manage trusted peer sites",
            Permission::Backup => "make or restore backups",
            Permission::ViewAudit => "read the audit trail",
            Permission::ExportAudit => "export the audit trail",
            Permission::ViewParticipants => "see participants",
            Permission::EnrollParticipants => "enrol participants",
            Permission::EditParticipants => "change participants' records",
            Permission::DeleteParticipants => "delete participants' records",
            Permission::RunGroups => "run groups",
            Permission::ReentryWork => "work on reentry plans",
            Permission::PeerWork => "log peer contacts, check-ins and recovery plans",
            Permission::HandOff => "hand a participant off to a community partner",
            Permission::ExportData => "export records",
            Permission::Print => "print records",
            Permission::KeepStaffRecords => "keep peer staff records and supervision",
            Permission::AssessProgram => "assess the program's readiness",
            Permission::ReportPeople => "see the people behind a report's figures",
            Permission::ImportRosters => "import rosters from the jail's system",
            Permission::TransferParticipants => "transfer participants between the program's facilities",
            Permission::MergeParticipants => "merge two records of one person, and undo a merge",
        }
    }

    /// The same, in Spanish.
    pub(crate) fn described_es(self) -> &'static str {
        match self {
            Permission::ManageAccounts => "gestionar cuentas",
            Permission::ManageSite => "cambiar los centros o los ajustes del sitio",
            Permission::ManageTrustedPeers => "gestionar los sitios de confianza",
            Permission::Backup => "hacer o restaurar copias de seguridad",
            Permission::ViewAudit => "leer el registro de auditoría",
            Permission::ExportAudit => "exportar el registro de auditoría",
            Permission::ViewParticipants => "ver participantes",
            Permission::EnrollParticipants => "inscribir participantes",
            Permission::EditParticipants => "cambiar los expedientes de los participantes",
            Permission::DeleteParticipants => "eliminar los expedientes de los participantes",
            Permission::RunGroups => "dirigir grupos",
            Permission::ReentryWork => "trabajar en los planes de reingreso",
            Permission::PeerWork => "registrar contactos de pares, evaluaciones y planes de recuperación",
            Permission::HandOff => "traspasar a un participante a un socio comunitario",
            Permission::ExportData => "exportar expedientes",
            Permission::Print => "imprimir expedientes",
            Permission::KeepStaffRecords => "llevar los expedientes y la supervisión del personal de pares",
            Permission::AssessProgram => "evaluar la preparación del programa",
            Permission::ReportPeople => "ver las personas detrás de las cifras de un informe",
            Permission::ImportRosters => "importar listas del sistema de la cárcel",
            Permission::TransferParticipants => "trasladar participantes entre los centros del programa",
            Permission::MergeParticipants => "unir dos expedientes de una misma persona, y deshacer una unión",
        }
    }
}
