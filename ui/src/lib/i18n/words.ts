// The core's vocabularies on screen. Their English comes from the core itself (the constants
// in the generated bindings, the same words the CLI and the printed documents use); their Spanish
// is here, one entry for every word the core defines: a word added to the core fails the build
// until it has its Spanish.

import {
  AREAS, CADENCES, CE_TOPICS, CONTACT_KINDS, CONTACT_SETTINGS, CREDENTIAL_KINDS, DIMENSIONS, EMPLOYER_KINDS, FOLLOW_UP_POINTS, FOLLOW_UP_RULES,
  FOLLOW_UP_STATES, GOAL_STATUSES, INTERCEPTS,
  ITEM_STATUSES, MOMENT_KINDS, DATE_FORMATS, RECORD_FIELDS, ROSTER_FIELDS, OUTCOMES, PEER_ROLES, PROGRAM_KINDS, READINESS_ANSWERS, REFERRAL_STATUSES, RESOURCE_KINDS, ROLES, STATUSES, STEP_STATUSES,
  SUPERVISION_FUNCTIONS, SUPERVISION_SETTINGS, SUPPORT_TYPES, TRANSFER_STATES, WINDOWS,
} from '../../backend/bindings';
import { language } from './index.svelte';

const LISTS = {
  areas: AREAS,
  cadences: CADENCES,
  ceTopics: CE_TOPICS,
  credentialKinds: CREDENTIAL_KINDS,
  employerKinds: EMPLOYER_KINDS,
  peerRoles: PEER_ROLES,
  readinessAnswers: READINESS_ANSWERS,
  supervisionFunctions: SUPERVISION_FUNCTIONS,
  supervisionSettings: SUPERVISION_SETTINGS,
  contactKinds: CONTACT_KINDS,
  contactSettings: CONTACT_SETTINGS,
  dimensions: DIMENSIONS,
  followUpPoints: FOLLOW_UP_POINTS,
  followUpRules: FOLLOW_UP_RULES,
  followUpStates: FOLLOW_UP_STATES,
  goalStatuses: GOAL_STATUSES,
  intercepts: INTERCEPTS,
  itemStatuses: ITEM_STATUSES,
  momentKinds: MOMENT_KINDS,
  outcomes: OUTCOMES,
  transferStates: TRANSFER_STATES,
  programKinds: PROGRAM_KINDS,
  referralStatuses: REFERRAL_STATUSES,
  resourceKinds: RESOURCE_KINDS,
  roles: ROLES,
  statuses: STATUSES,
  stepStatuses: STEP_STATUSES,
  supportTypes: SUPPORT_TYPES,
  windows: WINDOWS,
  dateFormats: DATE_FORMATS,
  recordFields: RECORD_FIELDS,
  rosterFields: ROSTER_FIELDS,
} as const;

type Lists = typeof LISTS;
export type Vocabulary = keyof Lists;
type IdOf<K extends Vocabulary> = Lists[K][number]['id'];

export const SPANISH: { [K in Vocabulary]: Record<IdOf<K>, string> } = {
  dateFormats: { iso: 'año-mes-día (1985-02-03)', month_first: 'mes/día/año (2/3/1985)', day_first: 'día/mes/año (3/2/1985)' },
  recordFields: {
    legal_name: 'Nombre',
    dob: 'Fecha de nacimiento',
    admission_date: 'Fecha de ingreso',
    release_date: 'Salida prevista',
    release_note: 'Nota de salida',
    unit: 'Unidad de alojamiento',
    cell: 'Celda',
    state_number: 'Número de identificación estatal',
    charges: 'Cargos',
    roster_source_id: 'Registrado desde esta lista',
  },
  rosterFields: {
    booking: 'Número de reserva o del DOC',
    state_number: 'Número de identificación estatal',
    full_name: 'Nombre como APELLIDO, NOMBRE SEGUNDO',
    last_name: 'Apellido',
    first_name: 'Nombre',
    middle_name: 'Segundo nombre',
    birth_date: 'Fecha de nacimiento',
    housing: 'Alojamiento, unidad y celda juntas (A-POD-12B)',
    unit: 'Unidad de alojamiento',
    cell: 'Celda o cama',
    booking_date: 'Fecha de reserva',
    release_date: 'Fecha de salida prevista',
    charge: 'Cargo',
  },
  cadences: { weekly: 'Semanal', fortnightly: 'Cada dos semanas', monthly: 'Mensual', none: 'No se exige' },
  ceTopics: {
    ethics: 'Ética',
    peer_practice: 'Práctica del apoyo entre pares',
    recovery_wellness: 'Recuperación y bienestar',
    cultural_responsiveness: 'Sensibilidad cultural',
    trauma_informed_care: 'Atención informada sobre el trauma',
    criminal_legal_system: 'El sistema de justicia penal',
    other: 'Otro',
  },
  credentialKinds: { state_certification: 'Certificación estatal de pares', national_certification: 'Certificación nacional', training_certificate: 'Certificado de formación' },
  employerKinds: { facility: 'El centro', community_organization: 'Una organización comunitaria' },
  peerRoles: {
    peer_specialist: 'Especialista de pares',
    peer_supervisor: 'Supervisor de pares',
    incarcerated_peer_mentor: 'Mentor de pares en custodia',
    community_peer: 'Compañero de apoyo en la comunidad',
    volunteer: 'Voluntario',
  },
  readinessAnswers: { in_place: 'Implantado', in_progress: 'En curso', not_yet: 'Todavía no', not_applicable: 'No aplica' },
  supervisionFunctions: {
    administrative: 'Administrativa: calidad, carga de trabajo, expedientes',
    educative: 'Educativa: formación, reflexión, crecimiento',
    supportive: 'De apoyo: retroalimentación, ánimo, autocuidado',
  },
  supervisionSettings: { in_person: 'En persona', remote: 'Por teléfono o video' },
  areas: {
    identification: 'Documentos de identidad',
    health_coverage: 'Cobertura médica y prestaciones',
    moud: 'Medicación para el trastorno por consumo de opioides',
    naloxone: 'Naloxona',
    housing: 'Vivienda',
    employment: 'Empleo o estudios',
    transportation: 'Transporte',
    phone: 'Teléfono',
    supervision: 'Supervisión',
    recovery_supports: 'Apoyos a la recuperación y par comunitario',
  },
  contactKinds: {
    brief_check_in: 'Contacto breve',
    planned_session: 'Sesión planificada',
    crisis_support: 'Apoyo en crisis',
    care_coordination: 'Coordinación de servicios',
    follow_up_after_release: 'Seguimiento tras la salida',
  },
  contactSettings: {
    housing_unit: 'Unidad de alojamiento',
    program_room: 'Sala del programa',
    visit_booth: 'Cabina de visitas',
    phone_video: 'Teléfono o video (tras la salida)',
    community: 'En la comunidad',
  },
  dimensions: { health: 'Salud', home: 'Hogar', purpose: 'Propósito', community: 'Comunidad' },
  followUpPoints: {
    intake: 'Ingreso',
    follow_up: 'Seguimiento a los 5 a 8 meses',
    discharge: 'Alta',
    baseline: 'Evaluación inicial',
    reassessment: 'Reevaluación a los 180 días',
    annual: 'Reevaluación anual',
    closeout: 'Cierre',
  },
  followUpRules: {
    gpra: 'GPRA: ingreso, seguimiento a los 5 a 8 meses, alta',
    suprt: 'Evaluación inicial, reevaluación a los 180 días, anual, cierre',
  },
  followUpStates: { done: 'Hecha', upcoming: 'Aún no abierta', open: 'Abierta', closing_soon: 'Cierra pronto', missed: 'Perdida' },
  goalStatuses: { active: 'En ello', achieved: 'Logrado', paused: 'En pausa', set_aside: 'Dejado de lado' },
  intercepts: {
    '0': '0 · Servicios comunitarios y respuesta a crisis',
    '1': '1 · Fuerzas del orden',
    '2': '2 · Detención inicial y primera comparecencia',
    '3': '3 · Cárceles y tribunales',
    '4': '4 · Reingreso desde la cárcel o la prisión',
    '5': '5 · Supervisión comunitaria',
  },
  itemStatuses: { open: 'Pendiente', in_progress: 'En curso', done: 'Hecho', not_needed: 'No hace falta' },
  momentKinds: {
    contact: 'Contactos',
    group: 'Grupos a los que asistió',
    check_in: 'Evaluaciones',
    plan_change: 'Plan de recuperación',
    status: 'Situación',
    reentry: 'Pasos de reingreso',
    hand_off: 'Traspasos',
  },
  outcomes: {
    completed: 'Completado',
    released: 'Salió en libertad antes de completarlo',
    transferred: 'Trasladado',
    discharged: 'Dado de baja por conducta',
    left_voluntarily: 'Lo dejó por decisión propia',
  },
  transferStates: {
    waiting: 'A la espera de respuesta',
    delivered: 'En otro sitio del programa, a la espera de respuesta',
    accepted: 'Aceptado',
    declined: 'Rechazado',
    cancelled: 'Cancelado',
  },
  programKinds: {
    rsat: 'Unidad RSAT',
    therapeutic_community: 'Comunidad terapéutica',
    moud: 'Continuidad de MOUD',
    peer_mentoring: 'Mentoría entre pares',
    other: 'Otro programa',
  },
  referralStatuses: { sent: 'Enviada', accepted: 'Aceptada', attended: 'Asistió', declined: 'Rechazada' },
  resourceKinds: {
    treatment_provider: 'Proveedor de tratamiento',
    recovery_residence: 'Residencia de recuperación',
    recovery_community_organization: 'Organización comunitaria de recuperación',
    benefits_office: 'Oficina de prestaciones',
    supervision_office: 'Oficina de supervisión',
    other: 'Otro',
  },
  roles: {
    admin: 'Administrador',
    coordinator: 'Coordinador',
    peer_specialist: 'Especialista de pares',
    reentry_staff: 'Personal de reingreso',
    auditor: 'Auditor',
  },
  statuses: { active: 'Activo', released: 'Salió en libertad', transferred: 'Trasladado', discharged: 'Dado de baja' },
  stepStatuses: { to_do: 'Por hacer', done: 'Hecho', dropped: 'Descartado' },
  supportTypes: { emotional: 'Emocional', informational: 'Informativo', instrumental: 'Instrumental', affiliational: 'De afiliación' },
  windows: {
    first_week: 'Primera semana fuera',
    release_day: 'Día de la salida',
    days7: 'Faltan de 1 a 7 días',
    days30: 'Faltan de 8 a 30 días',
    days90: 'Faltan de 31 a 90 días',
    first_month: 'Primer mes fuera',
    later: 'A más de 90 días',
    past: 'Hace más de un mes',
  },
};

/** What each role may do, in Spanish; the English is the core's. */
export const SPANISH_ROLE_SCOPES: Record<IdOf<'roles'>, string> = {
  admin: 'cuentas, centros, ajustes, copias de seguridad, el registro de auditoría',
  coordinator: 'todos los expedientes del programa en sus centros',
  peer_specialist: 'participantes, grupos, contactos y evaluaciones en su centro; sin exportaciones',
  reentry_staff: 'participantes y trabajo de reingreso; traspasos',
  auditor: 'lee los expedientes y el registro de auditoría; no cambia nada',
};

/** A vocabulary's choices in the language of the screens, in the core's order. */
export function words<K extends Vocabulary>(kind: K): { id: IdOf<K>; name: string }[] {
  const spanish = SPANISH[kind] as Record<string, string>;
  return LISTS[kind].map((w) => ({ id: w.id as IdOf<K>, name: language() === 'es' ? spanish[w.id] : w.name }));
}

/** One word's name in the language of the screens; an id the core does not define shows as is. */
export function word<K extends Vocabulary>(kind: K, id: string): string {
  return words(kind).find((w) => w.id === id)?.name ?? id;
}

/** What a role may do, in the language of the screens. */
export function roleScope(id: IdOf<'roles'>): string {
  return language() === 'es' ? SPANISH_ROLE_SCOPES[id] : (ROLES.find((r) => r.id === id)?.what ?? '');
}
