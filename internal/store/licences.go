package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"github.com/exportctl/exportctl"
)

const licenceColumns = `l.id, l.reference, COALESCE(l.application_id, 0), COALESCE(l.org_id, 0), COALESCE(o.name, ''), l.licence_type, l.export_type,
	l.status, l.destination, l.valid_from, l.valid_until, l.issued_at, l.historical, l.conditions`

func scanLicence(row interface{ Scan(...any) error }) (*exportctl.Licence, error) {
	var l exportctl.Licence
	var issued string
	var historical int
	err := row.Scan(&l.ID, &l.Reference, &l.ApplicationID, &l.OrgID, &l.OrgName, &l.LicenceType, &l.ExportType,
		&l.Status, &l.Destination, &l.ValidFrom, &l.ValidUntil, &issued, &historical, &l.Conditions)
	if err != nil {
		return nil, err
	}
	l.IssuedAt, l.Historical = parseTS(issued), historical != 0
	return &l, nil
}

func (s *Store) getLicence(ctx context.Context, q queryer, a exportctl.Actor, id int64) (*exportctl.Licence, error) {
	l, err := scanLicence(q.QueryRowContext(ctx, `SELECT `+licenceColumns+` FROM licences l LEFT JOIN organisations o ON o.id = l.org_id WHERE l.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, exportctl.NotFound("licence", id)
	}
	if err != nil {
		return nil, err
	}
	if org, only := visibleOrg(a); only && l.OrgID != org {
		return nil, exportctl.NotFound("licence", id)
	}
	return l, nil
}

// Licence returns one licence with the goods and parties it covers.
func (s *Store) Licence(ctx context.Context, a exportctl.Actor, id int64) (*exportctl.Licence, error) {
	const op = "licence.get"
	if err := requireStaffOrExporter(a, op); err != nil {
		return nil, err
	}
	l, err := s.getLicence(ctx, s.read, a, id)
	if err != nil {
		return nil, s.wrap(op, err)
	}
	if l.ApplicationID != 0 {
		if l.Goods, err = s.loadGoods(ctx, s.read, l.ApplicationID); err != nil {
			return nil, exportctl.Internal(op, err)
		}
		if l.Parties, err = s.loadParties(ctx, s.read, l.ApplicationID); err != nil {
			return nil, exportctl.Internal(op, err)
		}
	}
	return l, nil
}

// Licences lists licences, newest first.
func (s *Store) Licences(ctx context.Context, a exportctl.Actor, f exportctl.LicenceFilter) (exportctl.Page[exportctl.Licence], error) {
	const op = "licence.list"
	var page exportctl.Page[exportctl.Licence]
	if err := requireStaffOrExporter(a, op); err != nil {
		return page, err
	}
	var w where
	if org, only := visibleOrg(a); only {
		w.add("l.org_id = ?", org)
	} else if f.OrgID != 0 {
		w.add("l.org_id = ?", f.OrgID)
	}
	if f.Status != "" {
		w.add("l.status = ?", f.Status)
	}
	if f.Destination != "" {
		c, err := exportctl.ParseCountry("destination", f.Destination)
		if err != nil {
			return page, err
		}
		w.add("l.destination = ?", c)
	}
	if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM licences l`+w.sql(), w.args...).Scan(&page.Total); err != nil {
		return page, exportctl.Internal(op, err)
	}
	after, err := parseCursor(f.Cursor)
	if err != nil {
		return page, err
	}
	if after > 0 {
		w.add("l.id < ?", after)
	}
	limit := pageLimit(f.Limit)
	rows, err := s.read.QueryContext(ctx, `SELECT `+licenceColumns+` FROM licences l LEFT JOIN organisations o ON o.id = l.org_id`+
		w.sql()+` ORDER BY l.id DESC LIMIT `+strconv.Itoa(limit+1), w.args...)
	if err != nil {
		return page, exportctl.Internal(op, err)
	}
	defer rows.Close()
	page.Items = []exportctl.Licence{}
	for rows.Next() {
		l, err := scanLicence(rows)
		if err != nil {
			return page, exportctl.Internal(op, err)
		}
		page.Items = append(page.Items, *l)
	}
	if err := rows.Err(); err != nil {
		return page, exportctl.Internal(op, err)
	}
	endPage(&page, limit, func(x exportctl.Licence) string { return strconv.FormatInt(x.ID, 10) })
	return page, nil
}

// ChangeLicence suspends, reinstates, revokes or surrenders a licence.
func (s *Store) ChangeLicence(ctx context.Context, a exportctl.Actor, id int64, action string, in exportctl.LicenceActionInput) (*exportctl.Licence, error) {
	op := "licence." + action
	if action == exportctl.ActAmend {
		return nil, exportctl.Invalid("action", "a licence's conditions change only through a review's approved outcome")
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	err := s.tx(ctx, op, func(tx *sql.Tx) error {
		l, err := s.getLicence(ctx, tx, a, id)
		if err != nil {
			return err
		}
		to, err := exportctl.Next(exportctl.LicenceMachine, l.Status, action, a.Role)
		if err != nil {
			return err
		}
		return s.moveLicence(ctx, tx, a, l, action, to, in.Reasons, now)
	})
	if err != nil {
		return nil, err
	}
	return s.Licence(ctx, a, id)
}

func (s *Store) moveLicence(ctx context.Context, tx *sql.Tx, a exportctl.Actor, l *exportctl.Licence, action, to, reasons string, now time.Time) error {
	return s.changeLicences(ctx, tx, a, []licenceChange{{Licence: l, Action: action, To: to, Reasons: reasons}}, now)
}

// LicenceHistory is the audit trail of a licence.
func (s *Store) LicenceHistory(ctx context.Context, a exportctl.Actor, id int64) ([]exportctl.AuditEvent, error) {
	if _, err := s.Licence(ctx, a, id); err != nil {
		return nil, err
	}
	ev, err := s.auditTrail(ctx, `subject_type = 'licence' AND subject_id = $1`, id)
	if err != nil {
		return nil, exportctl.Internal("licence.history", err)
	}
	return ev, nil
}
