package chart

import (
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/protocol"
)

// Display shows the chart as the output of the running notebook cell:
// one output carrying the interactive HTML, the PNG picture and the text,
// of which each viewer shows the best it can. It blocks until GoNB has the
// output (gonbui.Sync: large outputs are otherwise dropped when the cell's
// program exits). The first chart of a kernel session is preceded by an
// output with the ECharts library (about 1.1 MB).
//
// Outside a notebook (no GoNB kernel), Display prints the text instead.
func (c *Chart) Display() {
	if !gonbui.IsNotebook {
		fmt.Print(c.Text())
		return
	}
	sendLibrary()
	gonbui.SendData(&protocol.DisplayData{Data: c.bundle(newID(), true)})
	gonbui.Sync()
}

// Update shows the chart in the cell output named id, replacing what that
// output showed before; the first Update with an id creates the output.
// Use it to redraw a chart in place, e.g. each time a widget changes
// (any string unique in the notebook will do as id). Like Display it
// blocks until GoNB has the output, and prints the text outside a notebook.
func (c *Chart) Update(id string) {
	if !gonbui.IsNotebook {
		fmt.Print(c.Text())
		return
	}
	sendLibrary()
	gonbui.SendData(&protocol.DisplayData{DisplayID: id, Data: c.bundle(newID(), true)})
	gonbui.Sync()
}

// bundle is the chart's MIME bundle: text/html, image/png, text/plain.
func (c *Chart) bundle(id string, withPNG bool) map[protocol.MIMEType]any {
	data := map[protocol.MIMEType]any{protocol.MIMETextPlain: c.Text()}
	var png []byte
	if withPNG {
		var err error
		if png, err = c.PNG(); err == nil {
			data[protocol.MIMEImagePNG] = base64.StdEncoding.EncodeToString(png)
		}
	}
	data[protocol.MIMETextHTML] = c.fragment(id, png)
	return data
}

// sendLibrary sends the ECharts library output, once per kernel session:
// GoNB runs each cell as a new program, so a file in the session's
// temporary folder remembers it was sent.
//
// Why once per session and not per notebook page: the program cannot see
// the page. If the output that carried the library is later cleared or
// re-run, the charts load echarts.min.js from next to the notebook or the
// web instead (js/loader.js); restarting the kernel sends it again.
func sendLibrary() {
	marker := ""
	if dir := os.Getenv(protocol.GONB_TMP_DIR_ENV); dir != "" {
		marker = filepath.Join(dir, "parkit-echarts-"+EChartsVersion+".sent")
		if _, err := os.Stat(marker); err == nil {
			return
		}
	} else if librarySent {
		return
	}
	html, ok := libraryHTML()
	plain := ""
	if !ok {
		plain = installHint
	}
	gonbui.SendData(&protocol.DisplayData{Data: map[protocol.MIMEType]any{
		protocol.MIMETextHTML:  html,
		protocol.MIMETextPlain: plain,
	}})
	gonbui.Sync()
	librarySent = true
	if marker != "" {
		os.WriteFile(marker, nil, 0o644)
	}
}

// librarySent remembers the library was sent, when GoNB gives no folder.
var librarySent bool
