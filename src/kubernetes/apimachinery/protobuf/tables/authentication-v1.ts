// authentication.k8s.io/v1 message layouts. Field numbers: generated.proto of k8s.io/api authentication/v1 at v0.35;
// JSON names, pointers, omitempty and inlining: its Go types. Syntax: ../descriptor.ts.
import type { PackageTable } from '../descriptor.js';

export const authenticationV1: PackageTable = {
  package: 'authentication.v1',
  groupVersion: 'authentication.k8s.io/v1',
  kinds: ['TokenRequest', 'TokenReview', 'SelfSubjectReview'],
  messages: {
    BoundObjectReference: '1 kind s?, 2 apiVersion s?, 3 name s?, 4 uid s?',
    ExtraValue: '[]s',
    SelfSubjectReview: '1 metadata @meta.v1.ObjectMeta?, 2 status @SelfSubjectReviewStatus?',
    SelfSubjectReviewStatus: '1 userInfo @UserInfo?',
    TokenRequest: '1 metadata @meta.v1.ObjectMeta?, 2 spec @TokenRequestSpec, 3 status @TokenRequestStatus?',
    TokenRequestSpec: '1 audiences []s, 4 expirationSeconds l*, 3 boundObjectRef @BoundObjectReference*',
    TokenRequestStatus: '1 token s, 2 expirationTimestamp @meta.v1.Time',
    TokenReview: '1 metadata @meta.v1.ObjectMeta?, 2 spec @TokenReviewSpec, 3 status @TokenReviewStatus?',
    TokenReviewSpec: '1 token s?, 2 audiences []s?',
    TokenReviewStatus: '1 authenticated b?, 2 user @UserInfo?, 4 audiences []s?, 3 error s?',
    UserInfo: '1 username s?, 2 uid s?, 3 groups []s?, 4 extra {}@ExtraValue?',
  },
};
