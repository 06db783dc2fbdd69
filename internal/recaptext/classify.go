package recaptext

// Status is a person's class in a recap.
type Status int

// The classes of spec/social.md §3.2. NoHandle is kept apart so each
// report can count it where the old one did.
const (
	Belum Status = iota
	Kurang
	Lengkap
	NoHandle
)

// ClassifyOperator is the WA ORG/operator absensi rule
// (groupUsersByDivisionStatus): no handle → NoHandle (listed as belum);
// total > 0 and count ≥ total → Lengkap; count > 0 → Kurang; else Belum.
func ClassifyOperator(p Person, total int) Status {
	if !p.HasHandle() && !p.Exception {
		return NoHandle
	}
	n := p.done(total)
	switch {
	case total > 0 && n >= total:
		return Lengkap
	case n > 0:
		return Kurang
	}
	return Belum
}

// ClassifyHalfPercent is the directorate IG accumulation rule: percentage
// count/total×100 ≥ 50 → Lengkap; > 0 → Kurang; else Belum.
func ClassifyHalfPercent(p Person, total int) Status {
	if !p.HasHandle() && !p.Exception {
		return NoHandle
	}
	n := p.done(total)
	switch {
	case total > 0 && n*100 >= 50*total:
		return Lengkap
	case total > 0 && n > 0:
		return Kurang
	}
	return Belum
}

// ClassifyHalfCeil is the TikTok DITBINMAS accumulation rule: count ≥
// ceil(total/2) → Lengkap; count > 0 → Kurang; else Belum. With no posts
// nobody is Lengkap (the target of zero posts is not an achievement).
func ClassifyHalfCeil(p Person, total int) Status {
	if !p.HasHandle() && !p.Exception {
		return NoHandle
	}
	n := p.done(total)
	switch {
	case total > 0 && n >= Target(total):
		return Lengkap
	case n > 0:
		return Kurang
	}
	return Belum
}

// Target is the TikTok minimum per person: ceil(total/2).
func Target(total int) int { return (total + 1) / 2 }

// ReachedTarget is the TikTok non-operator analytic rule: a person with a
// handle (or exempt) whose count reaches ceil(total/2) (total > 0).
func ReachedTarget(p Person, total int) bool {
	return (p.HasHandle() || p.Exception) && total > 0 && p.done(total) >= Target(total)
}
