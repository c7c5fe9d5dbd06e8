/**
 * Glance's default policy (Zed, project-scoped personas): an admin may do anything; a
 * project member manages the images its project owns; readers read. Who may *see* an
 * image is not a rule but the visibility model (visibility.ts).
 */
import { PolicyEngine, anyOf, isAdmin, ownsProject, withRole, type Rule } from '../common/policy.js';

const adminOrOwnerMember: Rule = anyOf(isAdmin, withRole('member', ownsProject));
const anyMember: Rule = anyOf(isAdmin, (a) => a.roles.some((r) => r.name === 'member'));

export const imageRules: Record<string, Rule> = {
  add_image: anyMember,
  modify_image: adminOrOwnerMember,
  delete_image: adminOrOwnerMember,
  upload_image: adminOrOwnerMember,
  deactivate: adminOrOwnerMember,
  reactivate: adminOrOwnerMember,
  publicize_image: isAdmin,
  communitize_image: adminOrOwnerMember,
  add_member: adminOrOwnerMember,
  delete_member: adminOrOwnerMember,
  set_image_location: adminOrOwnerMember,
  /** Creating an image for another project. */
  set_owner: isAdmin,
};

export const imagePolicy = new PolicyEngine(imageRules);
