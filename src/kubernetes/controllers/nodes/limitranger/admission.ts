/**
 * The LimitRanger admission plugin over the namespace's LimitRanges (from the shared
 * informer): on pod creation it fills default requests and limits (and notes what it set
 * in the kubernetes.io/limit-ranger annotation), then refuses with 403 pods and claims
 * outside the ranges' bounds.
 */
import type { Informer } from '../../../../core/reconcile/index.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../../../apiserver/admission.js';
import { ensureObject, objectAt, type KubeObject } from '../../../apiserver/object.js';
import { resourceOf } from '../../../apiserver/registry.js';
import { qosClassOf } from '../../../apiserver/resources/pod-spec.js';
import { forbidden } from '../../../apiserver/status.js';
import { byNamespace } from '../indexes.js';
import { aggregate, applyDefaults, claimProblems, limitRangerAnnotation, podProblems } from './limits.js';

const isPods = (a: AdmissionAttributes): boolean => a.def.group === '' && a.def.plural === 'pods';
const isClaims = (a: AdmissionAttributes): boolean => a.def.group === '' && a.def.plural === 'persistentvolumeclaims';

export function limitRangerAdmission(limitRanges: Informer<KubeObject>): AdmissionPlugin {
  const rangesFor = (a: AdmissionAttributes): KubeObject[] =>
    a.operation === 'CREATE' && a.namespace ? limitRanges.byIndex(byNamespace, a.namespace).sort((x, y) => ((x.metadata.name ?? '') < (y.metadata.name ?? '') ? -1 : 1)) : [];
  return {
    name: 'LimitRanger',
    mutate(attrs) {
      if (!isPods(attrs)) return;
      let note: string | undefined;
      for (const lr of rangesFor(attrs)) note = applyDefaults(attrs.object, lr) ?? note;
      if (note === undefined) return;
      const annotations = (attrs.object.metadata.annotations ??= {});
      annotations[limitRangerAnnotation] = note;
      // The pod's QoS class was worked out before admission; the defaults may change it.
      const status = ensureObject(attrs.object, 'status');
      if (status) status.qosClass = qosClassOf(objectAt(attrs.object, 'spec') ?? {});
    },
    validate(attrs) {
      const check = isPods(attrs) ? podProblems : isClaims(attrs) ? claimProblems : undefined;
      if (!check) return;
      for (const lr of rangesFor(attrs)) {
        const problems = check(attrs.object, lr);
        if (problems.length) throw forbidden(resourceOf(attrs.def), attrs.object.metadata.name ?? '', aggregate(problems));
      }
    },
  };
}
