// The XSLT 1.0 stylesheet served at `{base}/feed.xsl`: browsers that apply XSLT show RSS and Atom outputs as a page.

/**
 * One stylesheet for both formats. It finds `site.css` next to itself by reading the document's own
 * `xml-stylesheet` instruction, so it works under any base path. It writes no script and no inline style
 * (strict CSP), and does not use disable-output-escaping (Firefox ignores it): item bodies stay in readers,
 * the page shows headlines, dates, sources and tags, and links to each feed's HTML page.
 */
export const FEED_XSL = `<?xml version="1.0" encoding="utf-8"?>
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  exclude-result-prefixes="atom dc">
  <xsl:output method="html" encoding="utf-8" indent="yes" doctype-system="about:legacy-compat"/>

  <xsl:variable name="pi" select="/processing-instruction('xml-stylesheet')"/>
  <xsl:variable name="base" select="substring-before(substring-after($pi, 'href=&quot;'), 'feed.xsl')"/>

  <xsl:template name="page">
    <xsl:param name="title"/>
    <xsl:param name="description"/>
    <xsl:param name="home"/>
    <xsl:param name="self"/>
    <html>
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/> (feed)</title>
        <link rel="stylesheet" href="{$base}site.css"/>
      </head>
      <body>
        <header class="site">
          <p><a href="{$base}">← All feeds</a></p>
          <h1><xsl:value-of select="$title"/></h1>
          <p><xsl:value-of select="$description"/></p>
          <p class="notice">This is a news feed. To subscribe, copy this address into your feed reader:
            <a href="{$self}"><xsl:value-of select="$self"/></a>.
            A readable page with full stories is at <a href="{$home}"><xsl:value-of select="$home"/></a>.</p>
        </header>
        <main>
          <xsl:apply-templates select="/rss/channel/item | /atom:feed/atom:entry"/>
        </main>
        <footer class="site">Published by Wiredesk</footer>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="/rss">
    <xsl:call-template name="page">
      <xsl:with-param name="title" select="channel/title"/>
      <xsl:with-param name="description" select="channel/description"/>
      <xsl:with-param name="home" select="channel/link"/>
      <xsl:with-param name="self" select="channel/atom:link[@rel='self']/@href"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="/atom:feed">
    <xsl:call-template name="page">
      <xsl:with-param name="title" select="atom:title"/>
      <xsl:with-param name="description" select="atom:subtitle"/>
      <xsl:with-param name="home" select="atom:link[@rel='alternate']/@href"/>
      <xsl:with-param name="self" select="atom:link[@rel='self']/@href"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="item">
    <article class="story">
      <h2><a href="{link}"><xsl:value-of select="title"/></a></h2>
      <p class="meta"><xsl:value-of select="dc:creator | author"/> · <xsl:value-of select="pubDate"/></p>
      <xsl:if test="category">
        <ul class="tags"><xsl:for-each select="category"><li><span><xsl:value-of select="."/></span></li></xsl:for-each></ul>
      </xsl:if>
    </article>
  </xsl:template>

  <xsl:template match="atom:entry">
    <article class="story">
      <h2><a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a></h2>
      <p class="meta"><xsl:value-of select="atom:author/atom:name"/> · <xsl:value-of select="atom:published"/></p>
      <xsl:if test="atom:category">
        <ul class="tags"><xsl:for-each select="atom:category"><li><span><xsl:value-of select="@term"/></span></li></xsl:for-each></ul>
      </xsl:if>
    </article>
  </xsl:template>
</xsl:stylesheet>
`;
