package readapi_test

import (
	"context"
	"testing"

	"github.com/cicero/cicero/internal/apitest"
)

// The directory and premium rigs are shared with the other API package's tests.
type (
	dirRig  = apitest.DirRig
	rigOpts = apitest.RigOpts
	resp    = apitest.Resp
	premRig = apitest.PremRig
)

func newPremRig(t testing.TB) *premRig { return apitest.NewPremRig(t) }

func newDirRig(t testing.TB, o rigOpts) *dirRig { return apitest.NewDirRig(t, o) }

func rigCtx(t testing.TB) context.Context { return apitest.Ctx(t) }
