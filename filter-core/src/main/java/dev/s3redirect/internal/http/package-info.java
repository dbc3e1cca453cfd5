/**
 * HTTP semantics in pure code: parsing of {@code Range} and the conditional headers, evaluation of
 * preconditions in RFC 9110 order, and the response plan. Bad client input never throws here; it
 * becomes a value.
 *
 * <p>Internal: not part of the library's API. Its types are public only so that the filter's
 * packages can share them; they may change in any release.
 */
package dev.s3redirect.internal.http;
