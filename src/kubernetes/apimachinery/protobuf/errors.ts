/**
 * The two ways a protobuf body is refused. The API server maps them to Status objects:
 * a body that is not well-formed is a 400 BadRequest; a well-formed body of a kind we
 * hold no descriptor for is a 415 UnsupportedMediaType that names the kind, so the
 * client can fall back to JSON (kubectl does not, but the message tells a human why).
 */
import { KosError } from '../../../core/errors.js';

export class ProtobufDecodeError extends KosError {
  constructor(message: string) {
    super('BadRequest', `protobuf body: ${message}`);
    this.name = 'ProtobufDecodeError';
  }
}

export class UnsupportedProtobufKindError extends KosError {
  constructor(readonly typeName: string) {
    super('UnsupportedMediaType', `protobuf bodies of ${typeName} are not supported; send JSON instead`);
    this.name = 'UnsupportedProtobufKindError';
  }
}
