import { z } from 'zod';

/**
 * Request and response shapes of the newsroom server's account and directory API. The
 * server validates every body, query and path parameter with these schemas (objects are
 * strict: an unknown property is an error, never silently dropped); clients use the same
 * schemas and types.
 */

export const ROLES = ['penulis', 'redaktur', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Ids are server-made UUIDs. */
export const idSchema = z.string().uuid();

/** Lower-case letters, digits, dot, dash and underscore; stored lower-case. */
export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{1,39}$/, '2–40 characters: letters, digits, dot, dash or underscore, starting with a letter or digit');

export const displayNameSchema = z.string().trim().min(1).max(100);

/** Long enough to resist guessing, short enough that scrypt input stays small. */
export const passwordSchema = z.string().min(8).max(200);

/** Rubrik names are joined with › into path labels, so a name never contains one. */
export const rubrikNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(60)
  .refine((s) => !s.includes('›'), 'a rubrik name cannot contain ›');

export const RUBRIK_PATH_SEPARATOR = ' › ';

// ---- auth ----

export const loginBodySchema = z.object({ username: usernameSchema, password: z.string().min(1).max(200) }).strict();
export type LoginBody = z.infer<typeof loginBodySchema>;

export interface UserSummary {
  id: string;
  username: string;
  displayName: string;
  role: Role;
}

export interface LoginResponse {
  /** Opaque bearer token: send as `Authorization: Bearer <token>`. */
  token: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
  user: UserSummary;
}

export interface MeResponse {
  user: UserSummary;
  /** Rubrik this user edits (a redaktur's assignment; includes their sub-rubrik). */
  rubrikIds: string[];
  session: { expiresAt: number };
}

// ---- admin: users ----

export const createUserBodySchema = z
  .object({ username: usernameSchema, displayName: displayNameSchema, role: z.enum(ROLES), password: passwordSchema })
  .strict();
export type CreateUserBody = z.infer<typeof createUserBodySchema>;

export const updateUserBodySchema = z
  .object({
    displayName: displayNameSchema.optional(),
    role: z.enum(ROLES).optional(),
    password: passwordSchema.optional(),
    /** false deactivates: the user cannot log in and every session ends at once. */
    active: z.boolean().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'nothing to update');
export type UpdateUserBody = z.infer<typeof updateUserBodySchema>;

export const userIdParamsSchema = z.object({ id: idSchema }).strict();

export const listUsersQuerySchema = z
  .object({ includeInactive: z.enum(['true', 'false']).transform((v) => v === 'true').optional() })
  .strict();

export interface AdminUser extends UserSummary {
  active: boolean;
  rubrikIds: string[];
  createdAt: number;
  updatedAt: number;
}

export const setUserRubrikBodySchema = z.object({ rubrikIds: z.array(idSchema).max(500) }).strict();

export interface RevokeSessionsResponse {
  revoked: number;
}

// ---- admin: rubrik ----

export const createRubrikBodySchema = z.object({ name: rubrikNameSchema, parentId: idSchema.nullable().optional() }).strict();
export type CreateRubrikBody = z.infer<typeof createRubrikBodySchema>;

export const updateRubrikBodySchema = z
  .object({
    name: rubrikNameSchema.optional(),
    /** Moves the rubrik (with its sub-rubrik) under another one; null makes it top level. */
    parentId: idSchema.nullable().optional(),
    position: z.number().int().min(0).max(10_000).optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'nothing to update');
export type UpdateRubrikBody = z.infer<typeof updateRubrikBodySchema>;

export const rubrikIdParamsSchema = z.object({ id: idSchema }).strict();

// ---- directory ----

export interface DirectoryUser extends UserSummary {
  /** Inactive users stay listed so old bylines still resolve; pickers leave them out. */
  active: boolean;
  /** Rubrik a redaktur edits (directly assigned; sub-rubrik are covered too). */
  rubrikIds: string[];
}

export interface DirectoryRubrik {
  id: string;
  parentId: string | null;
  name: string;
  /** Full path label, e.g. `Ekonomi › Industri › Otomotif`. */
  path: string;
  position: number;
}

export interface DirectoryResponse {
  /** Grows with every change to users, rubrik or assignments: a cache keyed by it is fresh. */
  version: number;
  users: DirectoryUser[];
  /** Depth-first, siblings by position then name: the order a picker shows. */
  rubrik: DirectoryRubrik[];
}
