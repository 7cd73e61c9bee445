// Redfish errors (DSP0266 §9.6 "Error responses"): an `error` object with `code`, `message` and
// `@Message.ExtendedInfo`, a list of Message objects from the DMTF Base message registry. The
// message texts, severities and resolutions below are those of Base.1.22.1 (DMTF
// Redfish-Publications, registries/Base.1.22.1.json); %1, %2 ... are replaced by the arguments.

export const BASE_REGISTRY = 'Base.1.22';
export const MESSAGE_TYPE = '#Message.v1_3_0.Message';

type Severity = 'OK' | 'Warning' | 'Critical';

interface MessageDef {
  message: string;
  severity: Severity;
  resolution: string;
}

const BASE = {
  Success: { message: 'The request completed successfully.', severity: 'OK', resolution: 'None.' },
  Created: { message: 'The resource was created successfully.', severity: 'OK', resolution: 'None.' },
  GeneralError: { message: 'A general error has occurred.  See Resolution for information on how to resolve the error, or @Message.ExtendedInfo if Resolution is not provided.', severity: 'Critical', resolution: 'None.' },
  MalformedJSON: { message: 'The request body submitted was malformed JSON and could not be parsed by the receiving service.', severity: 'Critical', resolution: 'Ensure that the request body is valid JSON and resubmit the request.' },
  PropertyUnknown: { message: 'The property %1 is not in the list of valid properties for the resource.', severity: 'Warning', resolution: 'Remove the unknown property from the request body and resubmit the request if the operation failed.' },
  PropertyNotWritable: { message: 'The property %1 is a read-only property and cannot be assigned a value.', severity: 'Warning', resolution: 'Remove the property from the request body and resubmit the request if the operation failed.' },
  PropertyMissing: { message: 'The property %1 is a required property and must be included in the request.', severity: 'Warning', resolution: 'Ensure that the property is in the request body and has a valid value and resubmit the request if the operation failed.' },
  PropertyValueTypeError: { message: "The value '%1' for the property %2 is not a type that the property can accept.", severity: 'Warning', resolution: 'Correct the value for the property in the request body and resubmit the request if the operation failed.' },
  PropertyValueNotInList: { message: "The value '%1' for the property %2 is not in the list of acceptable values.", severity: 'Warning', resolution: 'Choose a value from the enumeration list that the implementation can support and resubmit the request if the operation failed.' },
  PropertyValueFormatError: { message: "The value '%1' for the property %2 is not a format that the property can accept.", severity: 'Warning', resolution: 'Correct the value for the property in the request body and resubmit the request if the operation failed.' },
  PropertyValueOutOfRange: { message: "The value '%1' for the property %2 is not in the supported range of acceptable values.", severity: 'Warning', resolution: 'Correct the value for the property in the request body and resubmit the request if the operation failed.' },
  ActionParameterUnknown: { message: 'The action %1 was submitted with the invalid parameter %2.', severity: 'Warning', resolution: 'Correct the invalid action parameter and resubmit the request if the operation failed.' },
  ActionParameterMissing: { message: 'The action %1 requires the parameter %2 to be present in the request body.', severity: 'Critical', resolution: 'Supply the action with the required parameter in the request body when the request is resubmitted.' },
  ActionParameterValueTypeError: { message: "The value '%1' for the parameter %2 in the action %3 is not a type that the parameter can accept.", severity: 'Warning', resolution: 'Correct the value for the parameter in the request body and resubmit the request if the operation failed.' },
  ActionParameterValueNotInList: { message: "The value '%1' for the parameter %2 in the action %3 is not in the list of acceptable values.", severity: 'Warning', resolution: 'Choose a value from the enumeration list that the implementation can support and resubmit the request if the operation failed.' },
  ActionNotSupported: { message: 'The action %1 is not supported by the resource.', severity: 'Critical', resolution: 'Check the Actions property in the resource for the supported actions.' },
  ResourceNotFound: { message: "The requested resource of type %1 named '%2' was not found.", severity: 'Critical', resolution: 'Provide a valid resource identifier and resubmit the request.' },
  ResourceMissingAtURI: { message: "The resource at the URI '%1' was not found.", severity: 'Critical', resolution: 'Place a valid resource at the URI or correct the URI and resubmit the request.' },
  ResourceAlreadyExists: { message: "The requested resource of type %1 with the property %2 with the value '%3' already exists.", severity: 'Critical', resolution: 'Do not repeat the create operation as the resource was already created.' },
  ResourceCannotBeDeleted: { message: 'The delete request failed because the resource requested cannot be deleted.', severity: 'Critical', resolution: 'Do not attempt to delete a non-deletable resource.' },
  ResourceInStandby: { message: 'The request could not be performed because the resource is in standby.', severity: 'Critical', resolution: 'Ensure that the resource is in the correct power state and resubmit the request.' },
  CreateLimitReachedForResource: { message: 'The create operation failed because the resource has reached the limit of possible resources.', severity: 'Critical', resolution: 'Either delete resources and resubmit the request if the operation failed or do not resubmit the request.' },
  InsufficientPrivilege: { message: 'There are insufficient privileges for the account or credentials associated with the current session to perform the requested operation.', severity: 'Critical', resolution: 'Either abandon the operation or change the associated access rights and resubmit the request if the operation failed.' },
  NoValidSession: { message: 'There is no valid session established with the implementation.', severity: 'Critical', resolution: 'Establish a session before attempting any operations.' },
  OperationNotAllowed: { message: 'The HTTP method is not allowed on this resource.', severity: 'Critical', resolution: 'None.' },
  PreconditionFailed: { message: 'The ETag supplied did not match the ETag required to change this resource.', severity: 'Critical', resolution: 'Try the operation again using the appropriate ETag.' },
  QueryNotSupported: { message: 'Querying is not supported by the implementation.', severity: 'Warning', resolution: 'Remove the query parameters and resubmit the request if the operation failed.' },
  SessionLimitExceeded: { message: 'The session establishment failed due to the number of simultaneous sessions exceeding the limit of the implementation.', severity: 'Critical', resolution: 'Reduce the number of other sessions before trying to establish the session or increase the limit of simultaneous sessions, if supported.' },
  PayloadTooLarge: { message: 'The supplied payload exceeds the maximum size supported by the service.', severity: 'Critical', resolution: 'Check that the supplied payload is correct and supported by this service.' },
  InternalError: { message: 'The request failed due to an internal service error.  The service is still operational.', severity: 'Critical', resolution: 'Resubmit the request.  If the problem persists, consider resetting the service.' },
} as const satisfies Record<string, MessageDef>;

export type BaseMessageId = keyof typeof BASE;

export interface ExtendedInfo {
  '@odata.type': string;
  MessageId: string;
  Message: string;
  MessageArgs: string[];
  MessageSeverity: Severity;
  Resolution: string;
  RelatedProperties?: string[];
}

/** One Base registry message with its arguments; `related` are JSON pointers ("#/Boot/..."). */
export function baseMessage(id: BaseMessageId, args: readonly string[] = [], related?: readonly string[]): ExtendedInfo {
  const def: MessageDef = BASE[id];
  const text = def.message.replace(/%(\d)/g, (_, n: string) => args[Number(n) - 1] ?? '');
  return {
    '@odata.type': MESSAGE_TYPE,
    MessageId: `${BASE_REGISTRY}.${id}`,
    Message: text,
    MessageArgs: [...args],
    MessageSeverity: def.severity,
    Resolution: def.resolution,
    ...(related && related.length > 0 ? { RelatedProperties: [...related] } : {}),
  };
}

/** A request that fails with an HTTP status and Base registry messages. */
export class RedfishError extends Error {
  readonly status: number;
  readonly messages: ExtendedInfo[];
  readonly headers: Record<string, string>;

  constructor(status: number, id: BaseMessageId, args: readonly string[] = [], opts: { related?: readonly string[]; headers?: Record<string, string> } = {}) {
    const info = baseMessage(id, args, opts.related);
    super(info.Message);
    this.name = new.target.name;
    this.status = status;
    this.messages = [info];
    this.headers = opts.headers ?? {};
  }

  /** The response body (DSP0266 §9.6). */
  body(): { error: { code: string; message: string; '@Message.ExtendedInfo': ExtendedInfo[] } } {
    const first = this.messages[0]!;
    return { error: { code: first.MessageId, message: first.Message, '@Message.ExtendedInfo': this.messages } };
  }
}

export const notFound = (uri: string): RedfishError => new RedfishError(404, 'ResourceMissingAtURI', [uri]);
