// The implementation (wsrv.js, typed by its JSDoc) and the published declarations (types.d.ts) describe the same
// API: the same exports, and for each class the same public members with types that are assignable both ways.
// A difference fails `tsc` ("Type 'false' does not satisfy the constraint 'true'" at the line that differs).
import * as impl from '../../wsrv.js';
import type * as api from '../../types.js';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Public<T> = Pick<T, keyof T>;
/** The static side of a class: its constructor and static members. */
type Static<C extends abstract new (...args: any) => any> = Pick<C, Exclude<keyof C, 'prototype'>> & {
  new (...args: ConstructorParameters<C>): Public<InstanceType<C>>;
};
type Check<T extends true> = T;
/** Two classes with the same public members, instance and static, of types assignable both ways. */
type SameClass<I extends abstract new (...args: any) => any, A extends abstract new (...args: any) => any> =
  [Same<keyof InstanceType<I>, keyof InstanceType<A>>, Same<Public<InstanceType<I>>, Public<InstanceType<A>>>,
    Same<Static<I>, Static<A>>] extends [true, true, true] ? true : false;

export type Exports = Check<Same<keyof typeof impl, keyof typeof api>>;
export type Client = Check<SameClass<typeof impl.WsrvClient, typeof api.WsrvClient>>;
export type Default = Check<SameClass<typeof impl.default, typeof api.default>>;
export type Connect = Check<Same<typeof impl.connect, typeof api.connect>>;
export type Error_ = Check<SameClass<typeof impl.WsrvError, typeof api.WsrvError>>;
export type Status = Check<SameClass<typeof impl.WsrvStatusError, typeof api.WsrvStatusError>>;
export type Timeout = Check<SameClass<typeof impl.WsrvTimeoutError, typeof api.WsrvTimeoutError>>;
export type Connection = Check<SameClass<typeof impl.WsrvConnectionError, typeof api.WsrvConnectionError>>;
