package exportctl

import (
	"errors"
	"fmt"
)

// Error codes. Every error a service returns carries one of these, so the
// HTTP layer, the CLI and the tests can react to the kind of failure without
// parsing messages.
const (
	EInvalid      = "invalid"      // the input is wrong; Field names what
	ENotFound     = "not_found"    // no such thing, or the actor may not know it exists
	EConflict     = "conflict"     // the request is valid but the current state forbids it
	EUnauthorized = "unauthorized" // no valid credentials
	EForbidden    = "forbidden"    // authenticated, but the role does not allow it
	EInternal     = "internal"     // a bug or an infrastructure failure
)

// Error is the one error type of the domain.
type Error struct {
	Code    string // one of the E* constants
	Op      string // the operation that failed, e.g. "application.submit"
	Field   string // the offending input field, e.g. "goods[2].rating"
	Message string // for humans; never contains secrets
	Err     error  // an underlying cause, for internal errors
}

func (e *Error) Error() string {
	msg := e.Message
	if msg == "" && e.Err != nil {
		msg = e.Err.Error()
	}
	switch {
	case e.Field != "":
		return fmt.Sprintf("%s: %s", e.Field, msg)
	case e.Op != "":
		return fmt.Sprintf("%s: %s", e.Op, msg)
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// ErrorCode returns the code of the first *Error in err's chain, or EInternal.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// ErrorField returns the field an error names, if any.
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// Invalid reports bad input in one field.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: EInvalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Conflict reports a request the current state does not allow.
func Conflict(format string, args ...any) *Error {
	return &Error{Code: EConflict, Message: fmt.Sprintf(format, args...)}
}

// NotFound reports a missing resource (or one the actor may not see).
func NotFound(what string, id any) *Error {
	return &Error{Code: ENotFound, Message: fmt.Sprintf("%s %v not found", what, id)}
}

// Forbidden reports an action the actor's role does not allow.
func Forbidden(format string, args ...any) *Error {
	return &Error{Code: EForbidden, Message: fmt.Sprintf(format, args...)}
}

// Unauthorized reports missing or bad credentials.
func Unauthorized(msg string) *Error {
	return &Error{Code: EUnauthorized, Message: msg}
}

// Internal wraps an unexpected failure.
func Internal(op string, err error) *Error {
	return &Error{Code: EInternal, Op: op, Message: "internal error", Err: err}
}

// Errors collects several invalid-field errors so a form or API client can
// show all of them at once. It is an *Error itself (the first one) so
// callers that only look at one still get a precise answer.
type Errors []*Error

func (es Errors) Err() error {
	if len(es) == 0 {
		return nil
	}
	return &ValidationError{Errors: es}
}

// ValidationError carries every invalid field of one input.
type ValidationError struct{ Errors Errors }

func (v *ValidationError) Error() string {
	if len(v.Errors) == 1 {
		return v.Errors[0].Error()
	}
	return fmt.Sprintf("%s (and %d more)", v.Errors[0].Error(), len(v.Errors)-1)
}

// As lets errors.As find the first field error, so ErrorCode and ErrorField work.
func (v *ValidationError) As(target any) bool {
	if t, ok := target.(**Error); ok {
		*t = v.Errors[0]
		return true
	}
	return false
}
