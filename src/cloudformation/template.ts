/**
 * CloudFormation template types and the intrinsic-function helpers the converter builds with.
 *
 * Intrinsics are plain objects in their long form (`{ Ref: x }`, `{ 'Fn::GetAtt': [r, a] }`), so a
 * template is JSON data from end to end: YAML and JSON output are the same tree, the overlay merge
 * works on it without knowing about tags, and any YAML parser reads the result (no `!Ref` tags).
 */

/**
 * A resource's key in `Resources`, built by `convert/naming.ts`. A name for readers, not a brand:
 * `Ref` and `Fn::GetAtt` also take parameter and pseudo-parameter names, and the overlay adds
 * resources under any key, so a brand would only be cast away.
 */
export type LogicalId = string;

/** A logical ID from its text (naming.ts builds every one through this). */
export function logicalId(s: string): LogicalId {
  return s;
}

export interface RefIntrinsic {
  Ref: string;
}
export interface GetAttIntrinsic {
  'Fn::GetAtt': [string, string];
}
export interface SubIntrinsic {
  'Fn::Sub': string | [string, Record<string, Value>];
}
export interface JoinIntrinsic {
  'Fn::Join': [string, Value[] | Intrinsic];
}
export interface SelectIntrinsic {
  'Fn::Select': [number | string, Value[] | Intrinsic];
}
export interface Base64Intrinsic {
  'Fn::Base64': Value;
}
export interface IfIntrinsic {
  'Fn::If': [string, Value, Value];
}

export type Intrinsic =
  | RefIntrinsic
  | GetAttIntrinsic
  | SubIntrinsic
  | JoinIntrinsic
  | SelectIntrinsic
  | Base64Intrinsic
  | IfIntrinsic;

/** Any value a template may hold: JSON data, possibly with intrinsics inside. */
export type Value = string | number | boolean | null | Value[] | { [key: string]: Value } | Intrinsic;

/** The intrinsic keys a single-key object may carry to be read as a function call. */
export const INTRINSIC_KEYS: readonly string[] = Object.freeze([
  'Ref',
  'Fn::GetAtt',
  'Fn::Sub',
  'Fn::Join',
  'Fn::Select',
  'Fn::Base64',
  'Fn::If',
  'Fn::Split',
  'Fn::FindInMap',
  'Fn::GetAZs',
  'Fn::ImportValue',
  'Fn::Cidr',
  'Fn::Length',
  'Fn::ToJsonString',
  'Fn::Equals',
  'Fn::And',
  'Fn::Or',
  'Fn::Not',
  'Condition',
]);

/** True when `v` is a one-key object naming an intrinsic function (or a Condition reference). */
export function isIntrinsic(v: unknown): v is Intrinsic {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  return keys.length === 1 && INTRINSIC_KEYS.includes(keys[0]!);
}

export function ref(target: string): RefIntrinsic {
  return { Ref: target };
}

export function getAtt(resource: string, attribute: string): GetAttIntrinsic {
  return { 'Fn::GetAtt': [resource, attribute] };
}

export function sub(template: string, variables?: Record<string, Value>): SubIntrinsic {
  return variables ? { 'Fn::Sub': [template, variables] } : { 'Fn::Sub': template };
}

export function join(delimiter: string, parts: Value[] | Intrinsic): JoinIntrinsic {
  return { 'Fn::Join': [delimiter, parts] };
}

export function select(index: number, list: Value[] | Intrinsic): SelectIntrinsic {
  return { 'Fn::Select': [index, list] };
}

/** Pseudo parameters every template can `Ref` without declaring them. */
export const PSEUDO_PARAMETERS: readonly string[] = Object.freeze([
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
]);

/** a type alias, not an interface, so a Tag is assignable to `Value` (implicit index signature) */
export type Tag = { Key: string; Value: Value };

export interface Resource {
  Type: string;
  Properties?: { [key: string]: Value };
  /** logical IDs, kept sorted by the converter: the order has no meaning to CloudFormation */
  DependsOn?: string[];
  DeletionPolicy?: 'Delete' | 'Retain' | 'Snapshot' | 'RetainExceptOnCreate';
  UpdateReplacePolicy?: 'Delete' | 'Retain' | 'Snapshot';
  Condition?: string;
  Metadata?: { [key: string]: Value };
}

export interface Parameter {
  Type: string;
  Description?: string;
  Default?: string | number;
  AllowedValues?: string[];
  NoEcho?: boolean;
}

export interface Output {
  Value: Value;
  Description?: string;
  Export?: { Name: Value };
}

export interface Template {
  AWSTemplateFormatVersion: '2010-09-09';
  Description?: string;
  Metadata?: { [key: string]: Value };
  Parameters?: Record<string, Parameter>;
  Conditions?: Record<string, Value>;
  Resources: Record<string, Resource>;
  Outputs?: Record<string, Output>;
}

export const TEMPLATE_FORMAT_VERSION = '2010-09-09' as const;
