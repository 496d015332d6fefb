/**
 * The permission module: the only place that decides access. Features import from here.
 */
export type { Actor, EffectiveBinding, Scope } from './actor.js';
export { actorLoader, loadActor, loadBindings, loadRolePermissions, SYSTEM } from './actor.js';
export {
  administrativeRoleChoices,
  assertMayChangeMembers,
  GrantError,
  type RoleChange,
  setAdministrativeRoles,
} from './assign.js';
export {
  contactBindingsAtEntity,
  countUserBindings,
  systemRoleRows,
  systemRolesOfGroups,
} from './bindings-queries.js';
export { can, canGrant, canManageAccount, explain, mayShareAt, type ScopeChain } from './can.js';
export {
  ALL_PERMISSIONS,
  LETTERS,
  type Letter,
  OBJECT_TYPES,
  type ObjectType,
  type Permission,
} from './catalog.js';
export { contactChain, visibleContacts } from './contact-scope.js';
export { issuerMayStillManage, usesPassword } from './credentials.js';
export {
  allRoleNames,
  type CustomRoleInput,
  countRoleBindings,
  createCustomRole,
  deleteCustomRole,
  findCustomRole,
  listCustomRoles,
  roleNames,
  updateCustomRole,
} from './custom-role-store.js';
export { assertMayShapeRole, describePermissions, RoleGrantError } from './custom-roles.js';
export {
  type AccessRow,
  accessToEntity,
  assignRole,
  type EntityRoleChoice,
  entityRoleChoices,
  mayChooseNotifyRecipients,
  mayShareAnywhere,
  mayShareEntity,
  principalBindings,
  removeRole,
  type Target,
} from './entity-roles.js';
export {
  contactsAtEntity,
  type FilePolicy,
  type FolderPlace,
  type FolderPolicy,
  fileChain,
  filePolicy,
  folderChain,
  folderIds,
  folderPolicy,
  foldersHeldBy,
  giveCreatorOwnership,
  ITEM_CONTACT_ROLES,
  ITEM_STAFF_ROLES,
  itemRolesFor,
  mayContinueUpload,
  mayShareFile,
  peopleSharedWith,
  reachableFolders,
  readableInEntity,
  shareWithPerson,
  unshareWithPerson,
  visibleInFolder,
} from './files.js';
export {
  authorize,
  authorizeAnyoneOrNotFound,
  authorizeOrNotFound,
  authorizeUploader,
  Forbidden,
  NotFound,
  publicRoute,
  requireSignedIn,
  requireStaff,
  signedInRoute,
  Unauthenticated,
  verifyAuthorized,
} from './guard.js';
export { type Holder, staffHoldingAtEntity } from './holders.js';
export { type PersonFound, personById, personByNormalizedEmail } from './lookups.js';
export {
  type ContactPolicy,
  type EntityPolicy,
  type PolicyTarget,
  type PortalPolicy,
  policyFor,
  type StaffPolicy,
} from './policy.js';
export { ASSOCIATED_ROLE, mayEnterPortal, requirePortalContact } from './portal-access.js';
export { membersOfPortal, type PortalMember, portalMemberCounts, portalsOfMember } from './portal-members.js';
export {
  mayCreateContactAt,
  mayCreatePortals,
  mayListPortals,
  mayManagePortal,
  mayManagePortalAt,
  mayReadPortal,
  setPortalMembers,
  visiblePortals,
} from './portals.js';
export {
  addBinding,
  assertAdminRemains,
  countAdmins,
  entityBinding,
  LastAdminError,
  lockPermissions,
  type Principal,
  removeScopeBindings,
  systemRoleIds,
} from './queries.js';
export {
  ADMINISTRATIVE_ROLES,
  BUILT_IN_ROLES,
  builtInRole,
  CONTACT_ROLE_PERMISSIONS,
  type Level,
  PORTAL_ROLES,
  type PortalAccess,
  type RoleDefinition,
} from './roles.js';
export { canAnywhere, entityChain, idIn, visibleEntities } from './scopes.js';
