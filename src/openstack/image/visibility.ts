/**
 * Who sees which image, as Glance decides it: the owner and admins always; everyone a
 * public or community image; a project an image shared with it (any member status for a
 * direct look-up, `accepted` for the default listing).
 */
import type { AuthContext } from '../common/context.js';
import { hasRole, projectIdOf } from '../common/context.js';
import type { Image, ImageMember, MemberStatus } from './model.js';

export const isAdminCaller = (auth: AuthContext): boolean => hasRole(auth, 'admin');

export const ownsImage = (image: Image, auth: AuthContext): boolean => {
  const project = projectIdOf(auth);
  return project !== undefined && image.owner === project;
};

export type MemberLookup = (imageId: string, projectId: string) => ImageMember | undefined;

/** May the caller GET this image by id? */
export function canSee(image: Image, auth: AuthContext, memberOf: MemberLookup): boolean {
  if (isAdminCaller(auth) || ownsImage(image, auth)) return true;
  if (image.visibility === 'public' || image.visibility === 'community') return true;
  if (image.visibility === 'shared') {
    const project = projectIdOf(auth);
    return project !== undefined && memberOf(image.id, project) !== undefined;
  }
  return false;
}

/**
 * Is the image in the caller's listing? `visibility` and `member_status` are the query's
 * filters (member_status defaults to accepted, as in Glance).
 */
export function inListing(
  image: Image,
  auth: AuthContext,
  memberOf: MemberLookup,
  visibility: string | undefined,
  memberStatus: MemberStatus | 'all',
): boolean {
  if (visibility !== undefined && image.visibility !== visibility) return false;
  if (isAdminCaller(auth)) return true;
  if (ownsImage(image, auth)) return true;
  switch (image.visibility) {
    case 'public':
      return true;
    case 'community':
      // Community images are listed only when asked for.
      return visibility === 'community';
    case 'shared': {
      const project = projectIdOf(auth);
      const member = project === undefined ? undefined : memberOf(image.id, project);
      return member !== undefined && (memberStatus === 'all' || member.status === memberStatus);
    }
    default:
      return false;
  }
}
