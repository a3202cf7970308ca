/**
 * The auth feature's public module: all that other features, the shared code, the CLI and the benchmarks may use
 * of src/auth. The rest of the folder is the feature's own (see DESIGN §4); a lint rule holds other code to this.
 */

export { adminStanding, deleteAccount, listAdmins, resetPassword, setAdmin } from './admins.ts';
export { insufficientScope, userGone } from './auth.errors.ts';
export { type AuthFeatureOptions, buildTokenVerifier, registerAuth } from './auth.feature.ts';
export {
  accountsWithEmail,
  accountsWithEmails,
  knownUserId,
  type UserProfile,
  userNameOf,
  userProfiles,
  userTimeZone,
} from './auth.repository.ts';
export { apiTokenSchema, userParams, userSchema } from './auth.schemas.ts';
export { createAccountTransfer } from './auth.transfer.ts';
export { bearerToken, ownPathOnly, principalOf } from './authenticate.ts';
export { API_TOKEN_MAX_DAYS } from './credential-policy.ts';
export {
  ALL_SCOPES,
  expandScopes,
  OAUTH_SCOPES,
  SCOPES,
  type Scope,
} from './scopes.ts';
export { ISSUER, type Principal } from './token-verifier.ts';
