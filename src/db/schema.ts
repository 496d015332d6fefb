/**
 * The table types of every feature, combined into one Kysely `Database`. Timestamps are
 * milliseconds since the epoch (bigint), flags are 0/1 integers: both read the same on SQLite and
 * PostgreSQL.
 */
import type { Generated, Selectable } from 'kysely';

export type UserKind = 'staff' | 'contact';
export type ScopeType = 'system' | 'portal' | 'entity' | 'folder' | 'item';
export type EntityLabel = 'Client' | 'Case' | 'Matter';

export interface OrganizationTable {
  id: number;
  name: string;
  entity_label: EntityLabel;
  time_zone: string;
  created_at: number;
  updated_at: number;
}

export interface SetupTokenTable {
  id: string;
  created_at: number;
}

export interface UserTable {
  id: string;
  kind: UserKind;
  email: string;
  email_normalized: string;
  first_name: string;
  last_name: string;
  password_hash: string | null;
  /** Who set the password when it was not the person themself; null when they chose it. */
  password_set_by: string | null;
  disabled_at: number | null;
  created_at: number;
  updated_at: number;
  /** When a session was last started for them (any way of signing in); null: never. */
  last_signed_in_at: Generated<number | null>;
}

export interface SessionTable {
  id: string;
  user_id: string;
  created_at: number;
  expires_at: number;
}

export interface GroupTable {
  id: string;
  kind: UserKind;
  name: string;
  name_normalized: string;
  description: string;
  created_at: number;
  updated_at: number;
}

export interface GroupMemberTable {
  group_id: string;
  user_id: string;
  created_at: number;
}

export interface RoleTable {
  id: string;
  name: string;
  kind: UserKind;
  built_in: number;
  created_at: number;
}

export interface RolePermissionTable {
  role_id: string;
  object_type: string;
  letter: string;
}

export interface RoleBindingTable {
  id: string;
  role_id: string;
  user_id: string | null;
  group_id: string | null;
  scope_type: ScopeType;
  /** '' for the system scope, so (role, principal, scope) can be unique on both dialects. */
  scope_id: string;
  created_at: number;
  created_by: string | null;
}

export interface AuditEventTable {
  id: string;
  at: number;
  actor_id: string | null;
  actor_label: string;
  action: string;
  object_type: string;
  object_id: string | null;
  object_label: string;
  before_json: string | null;
  after_json: string | null;
  request_id: string | null;
}

export interface SignInThrottleTable {
  key: string;
  /** Attempts not yet cleared by a success, including those still being checked. */
  failures: number;
  last_attempt_at: number;
  previous_attempt_at: number;
}

export interface PasswordTokenTable {
  id: string;
  user_id: string;
  created_at: number;
  expires_at: number;
  created_by: string | null;
}

export type EntityKind = 'individual' | 'company' | 'trust' | 'partnership' | 'other';

export interface EntityTable {
  id: string;
  name: string;
  name_normalized: string;
  kind: EntityKind;
  reference: string;
  email: string;
  phone: string;
  tax_number: string;
  address: string;
  notes: string;
  created_at: number;
  updated_at: number;
  created_by: string | null;
}

export interface ContactProfileTable {
  user_id: string;
  client_entity_id: string | null;
  phone: string;
  address: string;
  notes: string;
  /** The Client portal switch (migration 0009): 1 when the contact may sign in to the portal. */
  portal_access: Generated<number>;
}

/** 'portal_invitation': the email creating a portal sends each member ("Sign in to your portal"). */
export type SignInLinkPurpose = 'sign_in' | 'invitation' | 'portal_invitation';

/** A "Go to Client Portal" link (migration 0009): only its token's SHA-256 is kept. */
export interface SignInLinkTable {
  id: string;
  user_id: string;
  email_normalized: string;
  purpose: SignInLinkPurpose;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  /** When a newer link, the portal switch or an email change voided it. */
  voided_at: number | null;
}

/** A portal (migration 0010): members are role bindings at scope 'portal', not rows here. */
export interface PortalTable {
  id: string;
  name: string;
  /** lower(trim(name)), unique. */
  name_key: string;
  /** The staff member who gets clients' notifications that are not replies to their own tasks. */
  administrator_id: string;
  /** The staff member tasks for this portal's members are sent as by default. */
  send_as_id: string | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

/** An entity in a portal; entity_id is the key, so an entity is in at most one portal. */
export interface PortalEntityTable {
  entity_id: string;
  portal_id: string;
}

/** Staff notified by default (portal_notify) or contacts given bulk tasks (portal_bulk_assignees). */
export interface PortalUserTable {
  portal_id: string;
  user_id: string;
}

/** A CSV upload waiting for its "Import" button (migration 0005). */
export interface ImportPreviewTable {
  id: string;
  session_id: string;
  what: 'entities' | 'contacts';
  file_name: string;
  content: string;
  valid_lines: string;
  created_at: number;
  expires_at: number;
}

export type JobStatus = 'queued' | 'done' | 'failed';

/** Client Portal Notifications (migration 0011): a staff member who receives an entity's client activity. */
export interface EntityNotifyRecipientTable {
  entity_id: string;
  user_id: string;
  created_at: number;
}

/** A background job (migration 0007): see src/jobs/queue.ts. */
export interface JobTable {
  id: string;
  kind: string;
  payload: string;
  status: JobStatus;
  run_at: number;
  attempts: number;
  max_attempts: number;
  locked_by: string | null;
  locked_until: number | null;
  last_error: string | null;
  created_at: number;
  done_at: number | null;
}

/** An email the development outbox kept instead of sending (migration 0007). */
export interface OutboxMessageTable {
  id: string;
  to_address: string;
  from_address: string;
  reply_to: string | null;
  subject: string;
  text_body: string;
  html_body: string;
  kind: string;
  created_at: number;
}

/** How many times a group of tables has changed; kept by triggers (migration 0002). */
/** One listener's delivery of one event (src/host/events.ts). */
export interface EventDeliveryTable {
  event_id: string;
  listener: string;
  delivered_at: number;
}

/** A plugin's saved settings (src/plugins/settings.ts). */
export interface PluginSettingsTable {
  plugin_id: string;
  values_json: string;
  updated_at: number;
}

export interface ChangeCounterTable {
  /** `plugins` has no row until a plugin first says it wrote (it reads as 0 until then). */
  name: 'users' | 'permissions' | 'clients' | 'plugins' | 'notifications';
  version: number;
}

export interface FolderTable {
  id: string;
  entity_id: string;
  parent_id: string | null;
  /** The parent's id, or '' at the entity's top level (see migration 0017). */
  place: string;
  /** Ancestors' ids, outermost first, joined by '/'; '' at the top level. */
  path: string;
  name: string;
  /** The name folded for comparison: NFC and case-folded (src/files/names.ts). */
  name_key: string;
  created_by: string | null;
  created_by_label: string;
  created_at: number;
  updated_at: number;
}

/** Whether the virus scanner has passed a content: infected content is never kept. */
export type ScanStatus = 'clean' | 'pending';

export interface FileTable {
  id: string;
  entity_id: string;
  folder_id: string | null;
  place: string;
  name: string;
  name_key: string;
  /** The current version's number, content and type. */
  version: number;
  sha256: string;
  size: number;
  content_type: string;
  /** The current version's scan_status, copied so a listing filters on one row per file. */
  scan_status: Generated<ScanStatus>;
  created_by: string | null;
  created_by_label: string;
  created_at: number;
  modified_by: string | null;
  modified_by_label: string;
  modified_at: number;
}

export interface FileVersionTable {
  id: string;
  file_id: string;
  number: number;
  /** The name it was uploaded under. */
  name: string;
  sha256: string;
  size: number;
  content_type: string;
  /** 'pending': kept, but not yet passed by the virus scanner (migration 0019); never served. */
  scan_status: Generated<ScanStatus>;
  uploaded_by: string | null;
  uploaded_by_label: string;
  uploaded_at: number;
}

/** A resumable upload in progress or just finished (migration 0018, src/files/resumable). */
export interface ResumableUploadTable {
  id: string;
  user_id: string;
  entity_id: string;
  folder_id: string | null;
  via: 'staff' | 'portal';
  name: string;
  size: number;
  same_name: 'version' | 'keep';
  state: 'receiving' | 'finishing' | 'done' | 'refused';
  claimed_at: Generated<number>;
  file_id: string | null;
  /** The file as added ("Return.pdf (version 2)"), or why it was refused. */
  message: string | null;
  created_at: number;
}

/** tus's lock on one upload, held across processes (migration 0018). */
export interface UploadLockTable {
  id: string;
  holder: string;
  held_until: number;
  release_wanted: Generated<number>;
}

/** A thumbnail or preview derived from a content (migration 0020); no sha256: it could not be made. */
export interface FilePreviewTable {
  source_sha256: string;
  kind: string;
  sha256: string | null;
  size: number | null;
  content_type: string | null;
  width: number | null;
  height: number | null;
  /** A document's page count (migration 0023), on its page images and thumbnail; null for an image. */
  pages: number | null;
  created_at: number;
}

/** Someone told of something, in the app (migration 0021, src/notifications/inbox.ts). */
export interface NotificationTable {
  id: string;
  user_id: string;
  kind: string;
  text: string;
  href: string;
  /** The queue job of the email that told them too, if one did. */
  mail_job_id: string | null;
  created_at: number;
  read_at: number | null;
}

/** What Resend says became of an email it accepted (migration 0022, src/mail/deliveries). */
export type DeliveryState = 'delayed' | 'delivered' | 'complained' | 'suppressed' | 'failed' | 'bounced';

/** An email sent through Resend, by its job, with Resend's id for it (migration 0022). */
export interface MailDeliveryTable {
  job_id: string;
  provider_id: string;
  /** The furthest outcome a webhook told of; null: none yet. */
  state: DeliveryState | null;
  sent_at: number;
  updated_at: number | null;
}

/** An outcome heard before its email's Resend id was saved (migration 0026). */
export interface MailOutcomeHeldTable {
  provider_id: string;
  state: DeliveryState;
  reason: string | null;
  heard_at: number;
}

export interface Database {
  organization: OrganizationTable;
  setup_tokens: SetupTokenTable;
  users: UserTable;
  sessions: SessionTable;
  groups: GroupTable;
  group_members: GroupMemberTable;
  roles: RoleTable;
  role_permissions: RolePermissionTable;
  role_bindings: RoleBindingTable;
  audit_events: AuditEventTable;
  sign_in_throttle: SignInThrottleTable;
  password_tokens: PasswordTokenTable;
  change_counters: ChangeCounterTable;
  entities: EntityTable;
  contact_profiles: ContactProfileTable;
  import_previews: ImportPreviewTable;
  jobs: JobTable;
  outbox_messages: OutboxMessageTable;
  sign_in_links: SignInLinkTable;
  entity_notify_recipients: EntityNotifyRecipientTable;
  portals: PortalTable;
  portal_entities: PortalEntityTable;
  portal_notify: PortalUserTable;
  portal_bulk_assignees: PortalUserTable;
  event_deliveries: EventDeliveryTable;
  plugin_settings: PluginSettingsTable;
  folders: FolderTable;
  files: FileTable;
  file_versions: FileVersionTable;
  resumable_uploads: ResumableUploadTable;
  upload_locks: UploadLockTable;
  file_previews: FilePreviewTable;
  notifications: NotificationTable;
  mail_deliveries: MailDeliveryTable;
  mail_outcomes_held: MailOutcomeHeldTable;
}

export type User = Selectable<UserTable>;
export type Entity = Selectable<EntityTable>;
export type Group = Selectable<GroupTable>;
export type Organization = Selectable<OrganizationTable>;
export type Portal = Selectable<PortalTable>;
export type Folder = Selectable<FolderTable>;
export type StoredFile = Selectable<FileTable>;
export type FileVersion = Selectable<FileVersionTable>;
export type FilePreview = Selectable<FilePreviewTable>;
