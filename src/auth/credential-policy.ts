/** How long credentials last and how fresh a sign-in must be; the why is in DESIGN.md section 6. */

/**
 * How recent a sign-in must be to create a personal API token or set a first password without typing the
 * password again ("sudo mode"). Counted from the sign-in, not from the token: refreshing keeps the sign-in's time,
 * so an access token alone is enough only in the first 10 minutes after the person proved who they are.
 */
export const RECENT_SIGN_IN_MINUTES = 10;
/** A personal API token's lifetime when none is asked for: long enough for a script, short enough to be forgotten. */
export const API_TOKEN_DEFAULT_DAYS = 90;
/** The longest a personal API token may live: a year, as GitHub's fine-grained tokens (366 days). */
export const API_TOKEN_MAX_DAYS = 366;
